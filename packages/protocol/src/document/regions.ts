/**
 * Province-level codes of GB/T 2260 (中华人民共和国行政区划代码) used by mainland resident IDs: the
 * first two digits of a GB 11643 address code (GB 11643-1999 §5.1). 71 (Taiwan), 81 (Hong Kong) and
 * 82 (Macao) are GB/T 2260 codes too, but no mainland resident ID carries them; 81/82/83 appear only
 * on residence permits (see residence-permit.ts). Only the province is checked: county codes change
 * every year and old IDs keep the code in force when they were issued.
 */
export const MAINLAND_PROVINCE_CODES: readonly string[] = [
  '11 12 13 14 15', // 北京 天津 河北 山西 内蒙古
  '21 22 23', // 辽宁 吉林 黑龙江
  '31 32 33 34 35 36 37', // 上海 江苏 浙江 安徽 福建 江西 山东
  '41 42 43 44 45 46', // 河南 湖北 湖南 广东 广西 海南
  '50 51 52 53 54', // 重庆 四川 贵州 云南 西藏
  '61 62 63 64 65', // 陕西 甘肃 青海 宁夏 新疆
].flatMap((group) => group.split(' '));

const MAINLAND = new Set(MAINLAND_PROVINCE_CODES);

export function isMainlandProvince(code: string): boolean {
  return MAINLAND.has(code);
}
