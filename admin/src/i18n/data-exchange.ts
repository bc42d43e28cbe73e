/** The 数据比对 pages' messages (merged into zh.ts and en.ts as `fangfan.data_exchange` and the resource's names). */
const zh = {
  messages: {
    menu: '数据比对',
    progress: '已处理 %{processed}/%{received} 条',
    counts: '匹配 %{matched} · 未匹配 %{unmatched} · 预警 %{warnings}',
    status_processing: '处理中',
    status_done: '已完成',
    upload_title: '上传部门比对名单',
    upload_hint: 'CSV 或 Excel 文件（每批最多 100,000 条），首行为列名：身份证号、姓名，以及人均纯收入、自付医疗费用、残疾等级、辍学、房屋安全鉴定等级、低保取消、失业等指标（选填）',
    kind: '名单类型（如：新办残疾证）',
    choose_file: '选择文件',
    send: '上传并比对',
    uploading: '正在上传 %{sent} / %{total}',
    matching: '已上传，正在读取名单并与在册农户比对…',
    sent: '已接收 %{received} 条：匹配 %{matched}，未匹配 %{unmatched}，预警 %{warnings}',
    download: '下载反馈表',
    records: '比对明细',
    all: '全部',
    result: '比对结果',
    result_matched: '已匹配',
    result_warning: '预警',
    result_unmatched: '未匹配',
    result_duplicate: '重复',
    outcome_open: '核实中',
    outcome_confirmed: '属实，已转入监测对象认定',
    outcome_dismissed: '不属实',
    outcome_noted: '已是监测户，已记录备注',
    rules: '比对规则',
  },
  resource: {
    name: '数据比对 |||| 数据比对',
    fields: { id: '批次号', department: '报送部门', kind: '名单类型', receivedAt: '接收时间', status: '状态', senderName: '报送人', received: '记录数', processed: '进度' },
  },
};

export type DataExchangeMessages = typeof zh;

const en: DataExchangeMessages = {
  messages: {
    menu: 'Data comparison',
    progress: '%{processed} of %{received} processed',
    counts: 'matched %{matched} · unmatched %{unmatched} · warnings %{warnings}',
    status_processing: 'Processing',
    status_done: 'Done',
    upload_title: "Upload a department's list",
    upload_hint: 'CSV or Excel (up to 100,000 records a batch), the first row naming the columns: ID number, name, and optional indicators (income, out-of-pocket costs, disability grade, dropout, house grade, subsistence cancelled, unemployed)',
    kind: 'What the list is (e.g. new disability certificates)',
    choose_file: 'Choose a file',
    send: 'Upload and compare',
    uploading: 'Uploading %{sent} of %{total}',
    matching: 'Uploaded: reading the list and comparing it with the register…',
    sent: 'Received %{received}: matched %{matched}, unmatched %{unmatched}, warnings %{warnings}',
    download: 'Download the feedback',
    records: 'Records',
    all: 'All',
    result: 'Result',
    result_matched: 'Matched',
    result_warning: 'Warning',
    result_unmatched: 'Unmatched',
    result_duplicate: 'Duplicate',
    outcome_open: 'Being verified',
    outcome_confirmed: 'Confirmed: in identification',
    outcome_dismissed: 'Dismissed',
    outcome_noted: 'Already monitored: noted',
    rules: 'Comparison rules',
  },
  resource: {
    name: 'Data batch |||| Data comparison',
    fields: { id: 'Batch', department: 'Department', kind: 'List', receivedAt: 'Received', status: 'Status', senderName: 'Sent by', received: 'Records', processed: 'Progress' },
  },
};

export const DATA_EXCHANGE_MESSAGES = { zh, en };
