/** The illness-relief case page's summary block (merged into zh.ts and en.ts as `fangfan.relief`). */
const zh = {
  title: '患者与医保结算',
  patient: '患者',
  id_number: '，身份证号 %{id}',
  disease: '病种',
  settled: '%{year}年医保结算',
  figures: '医疗总费用 %{total}，已报销 %{reimbursed}，个人自付 %{outOfPocket}',
  threshold: '救助启动门槛（年度自付）',
  verified: '核实的个人自付金额',
  application: '申请说明',
  settlement_line: '%{date} %{patient} %{disease}：总费用 %{total}，报销 %{reimbursed}，自付 %{outOfPocket}',
  hidden: '已隐藏（健康信息仅经办部门和属地干部可见）',
};

const en: typeof zh = {
  title: 'Patient and medical insurance settlements',
  patient: 'Patient',
  id_number: ', ID number %{id}',
  disease: 'Disease',
  settled: 'Settlements in %{year}',
  figures: 'Total cost %{total}, reimbursed %{reimbursed}, out of pocket %{outOfPocket}',
  threshold: 'Relief threshold (yearly out of pocket)',
  verified: 'Verified out of pocket',
  application: 'Application',
  settlement_line: '%{date} %{patient} %{disease}: total %{total}, reimbursed %{reimbursed}, out of pocket %{outOfPocket}',
  hidden: 'Hidden (health details are for the departments on the case and the local officers)',
};

export const RELIEF_MESSAGES = { zh, en };
