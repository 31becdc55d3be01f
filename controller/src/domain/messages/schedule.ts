import type { Catalogue } from './catalogue.ts';

/** Reason codes and texts of the schedule area. Keys are stable: the API returns them. */
export const scheduleMessages = {
  // Eligibility: shown to the student at the kiosk. Placeholders come from eligibilityMessageParams.
  'eligibility.allowed': { zh: '可以采集', en: 'May be photographed' },
  'checkin.bad_instant': { zh: '时间应为 ISO 格式，如 2026-09-07T09:00:00+08:00', en: 'give an ISO instant, e.g. 2026-09-07T09:00:00+08:00' },
  'eligibility.not_on_roster': { zh: '名单中没有找到您，请联系工作人员', en: 'You are not on the roster; please ask the staff' },
  'eligibility.qualification_not_passed': { zh: '您的资格审查未通过，暂不能采集，请联系工作人员', en: 'Your qualification check has not passed; please ask the staff' },
  'eligibility.already_captured': { zh: '您的照片已采集完成，无需重复采集', en: 'Your photo has already been taken' },
  'eligibility.before_slot': {
    zh: '还没到您的采集时间：{date} {start}-{end}，地点 {room}',
    en: 'Your session has not started yet: {date} {start}-{end}, {room}',
  },
  'eligibility.after_slot': {
    zh: '您的采集时间 {date} {start}-{end}（{room}）已过，请向学校申请补采证明后在补采时间前来',
    en: 'Your session ({date} {start}-{end}, {room}) is over; please get a make-up certificate from the school and come during make-up hours',
  },
  'eligibility.makeup_certificate_required': {
    zh: '现在是补采时间（{start}-{end}），补采须持学校开具的补采证明',
    en: 'This is make-up time ({start}-{end}); a make-up certificate from the school is required',
  },
  'eligibility.wrong_room': {
    zh: '这里是 {here}，您的采集地点是 {room}（{date} {start}-{end}），请前往该地点采集',
    en: 'This is {here}; your session is in {room} ({date} {start}-{end}); please go there',
  },
  'eligibility.makeup_wrong_room': {
    zh: '这里是 {here}，本次补采（{from} 至 {to}，{start}-{end}）在 {room} 进行，请前往该地点',
    en: 'This is {here}; make-up captures ({from} to {to}, {start}-{end}) take place in {room}; please go there',
  },
  'eligibility.makeup_other_category': {
    zh: '本补采时间不适用于您的教育类别。您的补采时间：{ownFrom} 至 {ownTo}，星期 {ownDays}，{ownHours}，地点 {ownRoom}',
    en: 'This make-up time is for the other education category. Yours: {ownFrom} to {ownTo}, weekdays {ownDays}, {ownHours}, room {ownRoom}',
  },
  'eligibility.makeup_other_category_none': {
    zh: '本补采时间不适用于您的教育类别，您的补采时间尚未安排，请联系工作人员',
    en: 'This make-up time is for the other education category, and none is scheduled for yours yet; please ask the staff',
  },
  'eligibility.no_slot': { zh: '您所在院系或班级尚未安排采集时间，请联系工作人员', en: 'No session is scheduled for your department or class; please ask the staff' },

  // Schedule and make-up input (CLI, imports, staff pages).
  'schedule.required': { zh: '必填', en: 'required' },
  'schedule.target_missing': { zh: '须填写院系或班级', en: 'give a department or a class' },
  'schedule.bad_date': { zh: '日期无效，应为 YYYY-MM-DD', en: 'invalid date, expected YYYY-MM-DD' },
  'schedule.bad_time': { zh: '时间无效，应为 HH:MM', en: 'invalid time, expected HH:MM' },
  'schedule.empty_period': { zh: '开始与结束时间相同', en: 'start and end are the same' },
  'schedule.date_range': { zh: '结束日期早于开始日期', en: 'the end date is before the start date' },
  'schedule.bad_weekdays': { zh: '星期应写作 1-7（周一为 1），如 1-5', en: 'weekdays are 1-7 (Monday = 1), e.g. 1-5' },
  'schedule.bad_periods': { zh: '时段应写作 08:30-11:30,14:30-17:30', en: 'periods are written 08:30-11:30,14:30-17:30' },
  'schedule.room_overlap': { zh: '与同一地点的时段 {other} 时间重叠', en: 'overlaps {other} in the same room' },
  'schedule.duplicate_row': { zh: '与第 {row} 行重复', en: 'duplicate of row {row}' },
  'schedule.missing_column': { zh: '缺少列：{column}', en: 'missing column: {column}' },
  'schedule.unsupported_file': { zh: '只支持 .xlsx 和 .csv 文件', en: 'only .xlsx and .csv files are supported' },
  'schedule.file_unreadable': { zh: '无法读取文件：{reason}', en: 'cannot read the file: {reason}' },
  'schedule.empty_file': { zh: '文件中没有数据行', en: 'the file has no data rows' },
  'schedule.import_failed': { zh: '未导入任何数据：{count} 处错误', en: 'nothing imported: {count} error(s)' },
  'schedule.imported': { zh: '已导入时段：新增 {added}，未变 {unchanged}', en: 'slots imported: {added} added, {unchanged} unchanged' },
  'schedule.dry_run': { zh: '试运行，未写入：新增 {added}，未变 {unchanged}', en: 'dry run, nothing written: {added} to add, {unchanged} unchanged' },
  'schedule.slot_added': { zh: '已添加时段 #{id}', en: 'slot #{id} added' },
  'schedule.bad_category': { zh: '教育类别应为 普通（regular）或 成人（adult）', en: 'the education category is regular (普通) or adult (成人)' },
  'schedule.none': { zh: '没有记录', en: 'nothing found' },

  'makeup.window_added': { zh: '已添加补采时间 #{id}', en: 'make-up window #{id} added' },
  'makeup.windows_imported': { zh: '已导入补采时间：新增 {added}，未变 {unchanged}', en: 'make-up windows imported: {added} added, {unchanged} unchanged' },
  'makeup.windows_dry_run': { zh: '试运行，未写入：新增补采时间 {added}，未变 {unchanged}', en: 'dry run, nothing written: {added} make-up windows to add, {unchanged} unchanged' },
  'makeup.cert_added': { zh: '已登记补采证明 #{id}', en: 'make-up certificate #{id} recorded' },
  'makeup.cert_revoked': { zh: '已撤销补采证明 #{id}', en: 'make-up certificate #{id} revoked' },
  'makeup.cert_not_found': { zh: '没有有效的补采证明 #{id}', en: 'no make-up certificate #{id} in force' },
  'makeup.bad_school_code': { zh: '院校代码应为 5 位数字', en: 'the school code is five digits' },
  'makeup.bad_gender': { zh: '性别应为 男 或 女', en: 'gender must be M (男) or F (女)' },
  'makeup.bad_postcode': { zh: '邮政编码应为 6 位数字', en: 'the postcode is six digits' },
  'makeup.bad_phone': { zh: '联系电话无效', en: 'invalid phone number' },
} as const satisfies Catalogue;

/** The reason codes of this catalogue: a code without both texts does not compile. */
export type ScheduleCode = keyof typeof scheduleMessages;
