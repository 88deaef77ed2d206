// Every string people read, in Chinese (the source document's language, the default) and
// English; test/i18n.test.ts fails when a key is missing in either. Numbers and times are
// formatted per locale (Intl).
import { ref } from 'vue';

export type Locale = 'zh-CN' | 'en';
export const locales: Locale[] = ['zh-CN', 'en'];

const en = {
  'app.title': 'factoryhub',
  'nav.overview': 'Plant',
  'nav.alarms': 'Alarms',
  'nav.equipment': 'Equipment',
  'nav.data': 'Data',
  'nav.logout': 'Log out',
  'nav.language': 'Language',
  'login.title': 'Log in to {hub}',
  'login.user': 'User',
  'login.password': 'Password',
  'login.submit': 'Log in',
  'login.failed': 'Login failed: {reason}',
  'overview.title': 'Plant overview',
  'overview.oee': 'OEE, this shift',
  'overview.availability': 'Availability',
  'overview.performance': 'Performance',
  'overview.quality': 'Quality',
  'overview.active_alarms': 'Active alarms',
  'overview.no_alarms': 'No active alarm',
  'overview.since': 'since {time}',
  'overview.no_state': 'no state recorded',
  'overview.updated': 'Updated {time}',
  'overview.empty': 'No equipment yet: import assets and tags, or run the demo.',
  'state.running': 'Running',
  'state.idle': 'Idle',
  'state.starved': 'Starved',
  'state.blocked': 'Blocked',
  'state.setup': 'Setup',
  'state.down': 'Down',
  'state.planned_stop': 'Planned stop',
  'alarms.title': 'Alarms console',
  'alarms.alarm': 'Alarm',
  'alarms.priority': 'Priority',
  'alarms.state': 'State',
  'alarms.equipment': 'Equipment',
  'alarms.value': 'Value',
  'alarms.since': 'Since',
  'alarms.actions': 'Actions',
  'alarms.acknowledge': 'Acknowledge',
  'alarms.shelve': 'Shelve 1 h',
  'alarms.comment': 'Comment',
  'alarms.all': 'Show normal ones too',
  'alarms.none': 'No alarm in this view',
  'alarms.live': 'Live',
  'alarms.reconnecting': 'Reconnecting…',
  'alarms.acted': '{alarm}: {event}',
  'alarm_state.normal': 'Normal',
  'alarm_state.unacknowledged': 'Unacknowledged',
  'alarm_state.acknowledged': 'Acknowledged',
  'alarm_state.returned-unacknowledged': 'Returned, unacknowledged',
  'alarm_state.latched': 'Latched',
  'alarm_state.shelved': 'Shelved',
  'alarm_state.suppressed': 'Suppressed by design',
  'alarm_state.out-of-service': 'Out of service',
  'priority.critical': 'Critical',
  'priority.high': 'High',
  'priority.medium': 'Medium',
  'priority.low': 'Low',
  'equipment.unknown': 'No equipment {path}',
  'equipment.range': 'Time range',
  'equipment.last': 'Last {range}',
  'equipment.signals': 'Signals',
  'equipment.buckets': 'means per {every}, min–max shaded',
  'equipment.raw': 'every point',
  'equipment.states': 'States',
  'equipment.oee': 'OEE and where the time went',
  'equipment.waterfall': 'Loss waterfall (hours)',
  'equipment.pareto': 'Stop reasons by time lost',
  'equipment.no_stops': 'No stop in this range',
  'equipment.spc': 'Statistical process control',
  'equipment.subgroups': '{n} subgroups',
  'equipment.signal_at': 'subgroup {n}',
  'loss.planned operation time': 'Planned operation',
  'loss.planned downtime': 'Planned downtime',
  'loss.setup': 'Setup',
  'loss.unplanned downtime': 'Unplanned downtime',
  'loss.micro-stops': 'Micro-stops',
  'loss.speed loss': 'Speed loss',
  'loss.quality loss': 'Quality loss',
  'loss.fully productive time': 'Fully productive',
  'data.title': 'Quarantine',
  'data.count': '{n} records',
  'data.status': 'Status',
  'data.source': 'File and line',
  'data.entity': 'Entity (mapping)',
  'data.reasons': 'Why',
  'data.empty': 'Nothing in the quarantine',
  'data.record': 'Record {id}',
  'data.batch': 'batch {n}',
  'data.raw': 'As read',
  'data.fields': 'Values (fix and replay)',
  'data.fix': 'Fix and replay',
  'data.fixed': 'Record {id} passed its mapping and is stored.',
  'data.still_failing': 'Record {id} still fails: see why.',
  'data.close': 'Close by hand',
  'data.why': 'Why (kept with the record)',
  'data.resolve': 'Resolved',
  'data.dismiss': 'Dismiss',
  'data.closed': 'Record {id}: {status}.',
  'qstatus.open': 'Open',
  'qstatus.replayed': 'Replayed',
  'qstatus.resolved': 'Resolved',
  'qstatus.dismissed': 'Dismissed',
  'qstatus.all': 'All',
  'error.load': 'Could not load: {reason}',
};

const zh: Record<keyof typeof en, string> = {
  'app.title': 'factoryhub 工厂数据中枢',
  'nav.overview': '工厂',
  'nav.alarms': '报警',
  'nav.equipment': '设备',
  'nav.data': '数据',
  'nav.logout': '退出登录',
  'nav.language': '语言',
  'login.title': '登录 {hub}',
  'login.user': '用户名',
  'login.password': '密码',
  'login.submit': '登录',
  'login.failed': '登录失败：{reason}',
  'overview.title': '工厂总览',
  'overview.oee': '本班 OEE',
  'overview.availability': '时间开动率',
  'overview.performance': '性能开动率',
  'overview.quality': '合格品率',
  'overview.active_alarms': '活动报警',
  'overview.no_alarms': '无活动报警',
  'overview.since': '自 {time}',
  'overview.no_state': '无状态记录',
  'overview.updated': '更新于 {time}',
  'overview.empty': '尚无设备：请导入资产和位号，或运行演示。',
  'state.running': '运行',
  'state.idle': '空闲',
  'state.starved': '待料',
  'state.blocked': '堵料',
  'state.setup': '换型',
  'state.down': '故障停机',
  'state.planned_stop': '计划停机',
  'alarms.title': '报警控制台',
  'alarms.alarm': '报警',
  'alarms.priority': '优先级',
  'alarms.state': '状态',
  'alarms.equipment': '设备',
  'alarms.value': '数值',
  'alarms.since': '开始时间',
  'alarms.actions': '操作',
  'alarms.acknowledge': '确认',
  'alarms.shelve': '搁置 1 小时',
  'alarms.comment': '备注',
  'alarms.all': '同时显示正常报警',
  'alarms.none': '此视图中没有报警',
  'alarms.live': '实时',
  'alarms.reconnecting': '正在重新连接…',
  'alarms.acted': '{alarm}：{event}',
  'alarm_state.normal': '正常',
  'alarm_state.unacknowledged': '未确认',
  'alarm_state.acknowledged': '已确认',
  'alarm_state.returned-unacknowledged': '已恢复，未确认',
  'alarm_state.latched': '已锁存',
  'alarm_state.shelved': '已搁置',
  'alarm_state.suppressed': '设计抑制',
  'alarm_state.out-of-service': '停用',
  'priority.critical': '紧急',
  'priority.high': '高',
  'priority.medium': '中',
  'priority.low': '低',
  'equipment.unknown': '没有设备 {path}',
  'equipment.range': '时间范围',
  'equipment.last': '最近 {range}',
  'equipment.signals': '信号',
  'equipment.buckets': '每 {every} 均值，阴影为最小–最大',
  'equipment.raw': '全部数据点',
  'equipment.states': '设备状态',
  'equipment.oee': 'OEE 与时间损失',
  'equipment.waterfall': '损失瀑布图（小时）',
  'equipment.pareto': '停机原因（按损失时间排列）',
  'equipment.no_stops': '此时间范围内无停机',
  'equipment.spc': '统计过程控制',
  'equipment.subgroups': '{n} 个子组',
  'equipment.signal_at': '第 {n} 子组',
  'loss.planned operation time': '计划运行时间',
  'loss.planned downtime': '计划停机',
  'loss.setup': '换型',
  'loss.unplanned downtime': '非计划停机',
  'loss.micro-stops': '短暂停机',
  'loss.speed loss': '速度损失',
  'loss.quality loss': '质量损失',
  'loss.fully productive time': '完全有效生产时间',
  'data.title': '隔离区',
  'data.count': '{n} 条记录',
  'data.status': '状态',
  'data.source': '文件与行号',
  'data.entity': '实体（映射）',
  'data.reasons': '原因',
  'data.empty': '隔离区为空',
  'data.record': '记录 {id}',
  'data.batch': '批次 {n}',
  'data.raw': '原始内容',
  'data.fields': '字段值（修正后重放）',
  'data.fix': '修正并重放',
  'data.fixed': '记录 {id} 已通过映射校验并入库。',
  'data.still_failing': '记录 {id} 仍未通过：请查看原因。',
  'data.close': '手工关闭',
  'data.why': '原因（随记录保存）',
  'data.resolve': '已解决',
  'data.dismiss': '忽略',
  'data.closed': '记录 {id}：{status}。',
  'qstatus.open': '待处理',
  'qstatus.replayed': '已重放',
  'qstatus.resolved': '已解决',
  'qstatus.dismissed': '已忽略',
  'qstatus.all': '全部',
  'error.load': '加载失败：{reason}',
};

export type MessageKey = keyof typeof en;
export const messages: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zh };

function initialLocale(): Locale {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem('fh.locale') : null;
  if (saved === 'en' || saved === 'zh-CN') return saved;
  const browser = typeof navigator !== 'undefined' ? navigator.language : 'zh-CN';
  return browser.startsWith('en') ? 'en' : 'zh-CN';
}

export const locale = ref<Locale>(initialLocale());

export function setLocale(l: Locale): void {
  locale.value = l;
  if (typeof localStorage !== 'undefined') localStorage.setItem('fh.locale', l);
  if (typeof document !== 'undefined') document.documentElement.lang = l;
}

// The text of `key` in the current locale, {name} replaced by params.name. A key that is
// not a message (a state the server added later) is shown as it is.
export function t(key: string, params: Record<string, string | number> = {}): string {
  const table = messages[locale.value] as Record<string, string>;
  const text = table[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

export function formatNumber(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  return new Intl.NumberFormat(locale.value, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(v);
}

export function formatPercent(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  return new Intl.NumberFormat(locale.value, { style: 'percent', maximumFractionDigits: 1 }).format(
    v,
  );
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  return new Intl.DateTimeFormat(locale.value, {
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(new Date(iso));
}
