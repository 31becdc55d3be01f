import type { Catalogue } from './catalogue.ts';

/** Reason codes and texts of the staff area. Keys are stable: the API returns them. */
export const staffMessages = {
  'staff.unauthenticated': { zh: '请先登录', en: 'Please sign in first' },
  'staff.forbidden': { zh: '您的角色无权执行此操作', en: 'Your role is not allowed to do this' },
  'staff.login_failed': { zh: '用户名或密码错误', en: 'Wrong user name or password' },
  'staff.login_throttled': {
    zh: '登录失败次数过多，请 {seconds} 秒后再试',
    en: 'Too many failed sign-ins; try again in {seconds} s',
  },
  'staff.bad_request': { zh: '请求参数有误：{detail}', en: 'Invalid request: {detail}' },
  'staff.path_rejected': { zh: '参数中含有不允许的路径字符', en: 'A parameter holds path characters that are not allowed' },
  'staff.not_found': { zh: '没有找到', en: 'Not found' },
  'staff.origin_rejected': { zh: '请求来源不被信任', en: 'The request came from an untrusted origin' },
  'staff.payload_too_large': { zh: '上传的文件太大', en: 'The uploaded file is too large' },
  'staff.internal': { zh: '服务器内部错误，请联系技术人员', en: 'Internal server error; please call a technician' },
  'staff.student_not_found': { zh: '名单中没有该学生', en: 'No such student on the roster' },
  'staff.override_not_needed': {
    zh: '该学生尚未采集，无需补拍授权',
    en: 'The student has not been captured yet; no retake override is needed',
  },
  'staff.roster_rejected': { zh: '名单有错误，未导入任何数据', en: 'The roster has errors; nothing was imported' },
  'staff.photo_missing': { zh: '照片文件缺失或已损坏：{file}', en: 'Photo file missing or damaged: {file}' },
  'staff.unavailable': { zh: '该功能暂不可用', en: 'This function is not available yet' },
  'staff.bad_name': {
    zh: '用户名只能包含字母、数字、点、横线和下划线',
    en: 'User names hold only letters, digits, dot, dash and underscore',
  },
  'staff.bad_role': { zh: '角色必须是 admin、staff 或 technician', en: 'The role must be admin, staff or technician' },
  'staff.password_too_short': { zh: '密码至少 {min} 个字符', en: 'The password needs at least {min} characters' },
  'staff.password_mismatch': { zh: '两次输入的密码不一致', en: 'The two passwords differ' },
  'staff.no_terminal': {
    zh: '没有终端可输入密码，请使用 --password-stdin',
    en: 'No terminal to ask for the password; use --password-stdin',
  },
  'staff.user_added': { zh: '已创建账号 {name}（{role}）', en: 'Account {name} ({role}) created' },
  'staff.user_updated': { zh: '已更新账号 {name}（{role}）', en: 'Account {name} ({role}) updated' },
  'staff.unknown_user': { zh: '没有账号 {name}', en: 'No account named {name}' },
  'staff.token_created': {
    zh: '令牌只显示这一次，请妥善保存',
    en: 'The token is shown only this once; keep it safe',
  },
  'export.bad_date': { zh: '日期格式应为 YYYY-MM-DD', en: 'Dates are written YYYY-MM-DD' },
  'export.empty': { zh: '该日期没有已采集的照片', en: 'No accepted photos on that date' },
  'export.written': { zh: '已导出 {count} 张照片到 {file}', en: 'Exported {count} photos to {file}' },
  'pull.hash_mismatch': { zh: '文件校验失败：{file}', en: 'Checksum mismatch: {file}' },
  'pull.retrying': { zh: '连接中断，重试（第 {attempt} 次）', en: 'Connection lost, retrying (attempt {attempt})' },
  'pull.done': {
    zh: '完成：新下载 {fetched} 张，已有 {kept} 张，共 {total} 张',
    en: 'Done: {fetched} downloaded, {kept} already present, {total} in all',
  },
  'pull.conflict': {
    zh: '同名文件内容不同，另存为 {file}',
    en: 'A file of the same name differs; saved as {file}',
  },
  'pull.failed': { zh: '下载失败：{detail}', en: 'Download failed: {detail}' },
} as const satisfies Catalogue;
