/**
 * Demo data (seeded once into an empty database by `seedDemo`). The towns are the 11 towns of 渝北区
 * with consolidation tasks and the key villages of plan item 4; the other village names, every person
 * and every household are invented. Household ID numbers use area code 500112 (渝北区), made-up birth
 * dates and a correct GB 11643 check digit; phone numbers are in obviously fake ranges.
 */
import type { HouseholdStatus, LowIncomeGroup } from '../contracts/vocabulary';
import type { Role } from '../contracts/roles';
import type { Post } from '../contracts/posts';

export interface DemoTown {
  town: string;
  key?: boolean; // 重点镇
  villages: { name: string; key?: boolean }[];
  /** Roughly where the town's seat is (latitude, longitude); its villages lie a few km around it. */
  at: [number, number];
}

/** A plausible position for the town's `i`th village: 1.5–3 km around the town's seat, each in its own direction. */
export function demoVillageAt(town: DemoTown, i: number): { latitude: number; longitude: number } {
  const angle = (i * 2 * Math.PI) / town.villages.length;
  const km = 1.5 + (i % 3) * 0.75;
  const latitude = town.at[0] + (km / 111) * Math.cos(angle);
  const longitude = town.at[1] + (km / (111 * Math.cos((town.at[0] * Math.PI) / 180))) * Math.sin(angle);
  return { latitude: Math.round(latitude * 1e5) / 1e5, longitude: Math.round(longitude * 1e5) / 1e5 };
}

/** 重点镇 of item 4 (for reference; the village table marks key villages). */
export const DEMO_KEY_TOWNS = ['大湾镇', '茨竹镇', '统景镇'] as const;

export const DEMO_TOWNS: DemoTown[] = [
  { town: '龙兴镇', at: [29.700, 106.790], villages: [{ name: '石坝村' }, { name: '新华村' }, { name: '太平村' }, { name: '复兴村' }] },
  { town: '石船镇', at: [29.780, 106.720], villages: [{ name: '石船村' }, { name: '关口村' }, { name: '玉龙村' }, { name: '双河村' }] },
  { town: '大盛镇', at: [29.830, 106.790], villages: [{ name: '隆仁村', key: true }, { name: '千盏村' }, { name: '青龙村' }, { name: '大盛村' }] },
  { town: '洛碛镇', at: [29.660, 106.880], villages: [{ name: '洛碛村' }, { name: '上坝村' }, { name: '大天池村' }, { name: '青木村' }] },
  { town: '统景镇', at: [29.870, 106.800], key: true, villages: [{ name: '荣光村', key: true }, { name: '印盒村' }, { name: '景口村' }, { name: '裕华村' }, { name: '温泉村' }] },
  { town: '大湾镇', at: [29.900, 106.930], key: true, villages: [{ name: '龙洞岩村', key: true }, { name: '大湾村' }, { name: '金鞍村' }, { name: '长岭村' }] },
  { town: '兴隆镇', at: [29.800, 106.600], villages: [{ name: '兴隆村' }, { name: '塔坪村' }, { name: '青杠村' }, { name: '永庆村' }] },
  { town: '木耳镇', at: [29.750, 106.630], villages: [{ name: '木耳村' }, { name: '金刚村' }, { name: '白岩村' }] },
  { town: '茨竹镇', at: [29.900, 106.570], key: true, villages: [{ name: '方家沟村', key: true }, { name: '茨竹村' }, { name: '放牛坪村' }, { name: '新泉村' }] },
  { town: '古路镇', at: [29.860, 106.670], villages: [{ name: '吉星村', key: true }, { name: '古路村' }, { name: '草坪村' }, { name: '乌牛村' }] },
  { town: '玉峰山镇', at: [29.660, 106.680], villages: [{ name: '玉峰村' }, { name: '双井村' }, { name: '桐桂村' }] },
];

export interface DemoUser {
  username: string;
  name: string;
  roles: Role[];
  town?: string;
  village?: string;
  department?: string;
  /** 职务 (contracts/posts.ts), for the secretaries' 遍访 coverage. */
  post?: Post;
}

/** The demo accounts of the README's table (user id = username). */
export const DEMO_USERS: DemoUser[] = [
  { username: 'admin', name: '系统管理员', roles: ['admin'] },
  { username: 'supervisor', name: '何志远', roles: ['district_supervisor'], department: '区乡村振兴局' },
  { username: 'town.tongjing', name: '陈立新', roles: ['town_officer'], town: '统景镇', post: 'town_secretary' },
  { username: 'town.gulu', name: '王秀兰', roles: ['town_officer'], town: '古路镇', post: 'town_secretary' },
  { username: 'cadre.rongguang', name: '李明华', roles: ['village_cadre'], town: '统景镇', village: '荣光村', post: 'village_secretary' },
  { username: 'cadre.rongguang2', name: '张晓燕', roles: ['village_cadre'], town: '统景镇', village: '荣光村', post: 'first_secretary' },
  { username: 'cadre.jixing', name: '刘建国', roles: ['village_cadre'], town: '古路镇', village: '吉星村', post: 'village_secretary' },
  { username: 'info.rongguang', name: '周小红', roles: ['information_officer'], town: '统景镇', village: '荣光村' },
  { username: 'info.tongjing', name: '钱进', roles: ['information_officer'], town: '统景镇' },
  { username: 'yibao', name: '赵敏', roles: ['department_officer'], department: '区医保局' },
  { username: 'weijian', name: '孙丽', roles: ['department_officer'], department: '区卫生健康委' },
  { username: 'minzheng', name: '杨帆', roles: ['department_officer'], department: '区民政局' },
  { username: 'zhujian', name: '吴刚', roles: ['department_officer'], department: '区住房城乡建委' },
  { username: 'shuili', name: '郑涛', roles: ['department_officer'], department: '区水利局' },
  { username: 'jiaowei', name: '冯静', roles: ['department_officer'], department: '区教委' },
  { username: 'caizheng', name: '许嘉', roles: ['department_officer'], department: '区财政局' },
  { username: 'canlian', name: '周燕', roles: ['department_officer'], department: '区残联' },
];

export interface DemoHousehold {
  id: string;
  headName: string;
  idNumber: string;
  phone: string | null;
  town: string;
  village: string;
  memberCount: number;
  status: HouseholdStatus;
  lowIncomeGroups: LowIncomeGroup[];
}

/** Invented households: the names say so (示例, 演示, 样本 …). */
export const DEMO_HOUSEHOLDS: DemoHousehold[] = [
  { id: 'H00000001', headName: '张示例', idNumber: '50011219580312101X', phone: '13800000001', town: '统景镇', village: '荣光村', memberCount: 4, status: 'out_of_poverty', lowIncomeGroups: [] },
  { id: 'H00000002', headName: '李演示', idNumber: '500112196207251082', phone: '13800000002', town: '统景镇', village: '荣光村', memberCount: 2, status: 'out_of_poverty', lowIncomeGroups: ['subsistence_allowance'] },
  { id: 'H00000003', headName: '王样本', idNumber: '500112196711041156', phone: '023-60000003', town: '统景镇', village: '荣光村', memberCount: 5, status: 'ordinary', lowIncomeGroups: [] },
  { id: 'H00000004', headName: '刘范例', idNumber: '500112197002181222', phone: null, town: '统景镇', village: '荣光村', memberCount: 1, status: 'ordinary', lowIncomeGroups: ['extremely_poor'] },
  { id: 'H00000005', headName: '陈模拟', idNumber: '500112197311301291', phone: '13900000005', town: '古路镇', village: '吉星村', memberCount: 3, status: 'out_of_poverty', lowIncomeGroups: [] },
  { id: 'H00000006', headName: '杨虚拟', idNumber: '50011219750609136X', phone: '13900000006', town: '古路镇', village: '吉星村', memberCount: 6, status: 'ordinary', lowIncomeGroups: ['near_subsistence'] },
  { id: 'H00000007', headName: '黄示范', idNumber: '500112197909211434', phone: '13900000007', town: '古路镇', village: '吉星村', memberCount: 4, status: 'out_of_poverty', lowIncomeGroups: [] },
  { id: 'H00000008', headName: '周演练', idNumber: '500112198101151509', phone: '13700000008', town: '统景镇', village: '印盒村', memberCount: 3, status: 'ordinary', lowIncomeGroups: [] },
  { id: 'H00000009', headName: '吴样例', idNumber: '500112198408071570', phone: '13700000009', town: '茨竹镇', village: '方家沟村', memberCount: 4, status: 'out_of_poverty', lowIncomeGroups: [] },
  { id: 'H00000010', headName: '郑示意', idNumber: '500112198804231644', phone: '13600000010', town: '大盛镇', village: '隆仁村', memberCount: 2, status: 'ordinary', lowIncomeGroups: [] },
  { id: 'H00000011', headName: '孙假设', idNumber: '500112199103011715', phone: '13600000011', town: '大湾镇', village: '龙洞岩村', memberCount: 5, status: 'out_of_poverty', lowIncomeGroups: ['subsistence_allowance'] },
  { id: 'H00000012', headName: '马试用', idNumber: '500112196508171780', phone: '13500000012', town: '龙兴镇', village: '石坝村', memberCount: 3, status: 'ordinary', lowIncomeGroups: [] },
];
