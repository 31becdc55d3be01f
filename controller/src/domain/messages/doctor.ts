import type { Catalogue } from './catalogue.ts';

/** Texts of `rig doctor`: one per finding, and `CODE.fix` for each problem. */
export const doctorMessages = {
  'doctor.title': { zh: '采集室自检', en: 'capture room check' },
  'doctor.summary.ok': { zh: '没有阻碍采集的问题（{warn} 项提醒）', en: 'nothing blocks a shooting day ({warn} warning(s))' },
  'doctor.summary.fail': { zh: '{fail} 项问题会阻碍采集，{warn} 项提醒', en: '{fail} problem(s) block a shooting day, {warn} warning(s)' },
  'doctor.fix': { zh: '处理', en: 'fix' },

  'doctor.camera.found': { zh: '相机：{camera}（gphoto2 {version}）', en: 'camera: {camera} (gphoto2 {version})' },
  'doctor.camera.simulated': { zh: '相机：配置为模拟相机', en: 'camera: configured as the simulated camera' },
  'doctor.camera.simulated.fix': { zh: '正式采集前在配置中设 camera.driver: gphoto2', en: 'set camera.driver: gphoto2 in the configuration before a real shooting day' },
  'doctor.camera.no_gphoto2': { zh: '相机：未安装 gphoto2', en: 'camera: gphoto2 is not installed' },
  'doctor.camera.no_gphoto2.fix': { zh: '运行 sudo apt-get install gphoto2，或重新运行 scripts/install-room.sh', en: 'run sudo apt-get install gphoto2, or run scripts/install-room.sh again' },
  'doctor.camera.none': { zh: '相机：gphoto2 {version} 未检测到相机', en: 'camera: gphoto2 {version} detects no camera' },
  'doctor.camera.none.fix': {
    zh: '打开相机电源，设为 PTP/“电脑连接”模式，换一根 USB 线；桌面系统会抢占相机时，重新运行 scripts/install-room.sh（屏蔽 gvfs 相机挂载）',
    en: 'switch the camera on, set its USB mode to PTP / PC connection, try another USB cable; if a desktop grabs it, run scripts/install-room.sh again (it masks the gvfs camera monitor)',
  },
  'doctor.camera.several': { zh: '相机：检测到多台相机：{cameras}', en: 'camera: several cameras detected: {cameras}' },
  'doctor.camera.several.fix': { zh: '只连接一台相机，或在配置中用 camera.port 指定', en: 'connect only one camera, or name it with camera.port in the configuration' },

  'doctor.board.found': { zh: '灯光控制板：{port}', en: 'light board: {port}' },
  'doctor.board.candidates': { zh: '灯光控制板：可用串口 {ports}', en: 'light board: serial port(s) available: {ports}' },
  'doctor.board.simulated': { zh: '灯光控制板：配置为模拟控制板', en: 'light board: configured as the simulated board' },
  'doctor.board.simulated.fix': { zh: '正式采集前在配置中设 rig.driver: board', en: 'set rig.driver: board in the configuration before a real shooting day' },
  'doctor.board.missing': { zh: '灯光控制板：串口 {port} 不存在', en: 'light board: serial port {port} does not exist' },
  'doctor.board.missing.fix': {
    zh: '检查 USB 线是否插好；安装脚本建立的固定名称为 /dev/rig-board，可在配置 rig.serialPort 中使用',
    en: 'check the USB cable; the install script gives the board the stable name /dev/rig-board, usable as rig.serialPort',
  },
  'doctor.board.denied': { zh: '灯光控制板：无权访问串口 {port}', en: 'light board: no permission to open {port}' },
  'doctor.board.denied.fix': { zh: '把运行服务的用户加入 dialout 组，或重新运行 scripts/install-room.sh（安装 udev 规则）', en: 'add the service user to the dialout group, or run scripts/install-room.sh again (it installs the udev rules)' },
  'doctor.board.none': { zh: '灯光控制板：没有找到串口设备', en: 'light board: no serial device found' },
  'doctor.board.none.fix': { zh: '用 USB 线连接控制板并确认已刷入本项目固件', en: 'connect the board by USB and make sure it runs this project\'s firmware' },

  'doctor.chromium.found': { zh: '浏览器：{version}', en: 'browser: {version}' },
  'doctor.chromium.missing': { zh: '浏览器：未安装 Chromium，触摸屏无法显示', en: 'browser: Chromium is not installed; the touch screen cannot show the kiosk' },
  'doctor.chromium.missing.fix': { zh: '运行 sudo apt-get install chromium，或重新运行 scripts/install-room.sh', en: 'run sudo apt-get install chromium, or run scripts/install-room.sh again' },

  'doctor.disk.ok': { zh: '磁盘：{folder} 剩余 {free} GiB', en: 'disk: {free} GiB free for {folder}' },
  'doctor.disk.low': { zh: '磁盘：{folder} 仅剩 {free} GiB', en: 'disk: only {free} GiB free for {folder}' },
  'doctor.disk.low.fix': { zh: '用 rig backup 备份后，把已交付的旧批次移走，或换更大的磁盘', en: 'back up with rig backup, then move delivered old batches away, or use a larger disk' },
  'doctor.disk.full': { zh: '磁盘：{folder} 仅剩 {free} GiB，不够一天的采集', en: 'disk: only {free} GiB free for {folder}, not enough for a day' },
  'doctor.disk.full.fix': { zh: '立即用 rig backup 备份并腾出空间，再开始采集', en: 'back up with rig backup and free space before shooting' },
  'doctor.disk.unreadable': { zh: '磁盘：无法读取 {folder} 的剩余空间', en: 'disk: cannot read the free space of {folder}' },
  'doctor.disk.unreadable.fix': { zh: '确认数据目录所在磁盘已挂载，且服务用户可访问', en: 'make sure the data folder\'s disk is mounted and readable by the service user' },

  'doctor.clock.synced': { zh: '时钟：已与网络校时（{now}）', en: 'clock: synchronised ({now})' },
  'doctor.clock.unsynced': { zh: '时钟：未校时（{now}）', en: 'clock: not synchronised ({now})' },
  'doctor.clock.unsynced.fix': { zh: '运行 sudo timedatectl set-ntp true；无网络时请手动核对时间', en: 'run sudo timedatectl set-ntp true; without a network, check the time by hand' },
  'doctor.clock.unknown': { zh: '时钟：无法确定是否已校时（{now}）', en: 'clock: cannot tell whether it is synchronised ({now})' },
  'doctor.clock.unknown.fix': { zh: '安装并启用 systemd-timesyncd，或手动核对时间', en: 'install and enable systemd-timesyncd, or check the time by hand' },
  'doctor.clock.reset': { zh: '时钟：时间明显错误（{now}）', en: 'clock: the time is clearly wrong ({now})' },
  'doctor.clock.reset.fix': { zh: '设置正确时间（sudo timedatectl set-time），并更换主板电池', en: 'set the time (sudo timedatectl set-time) and replace the mainboard battery' },
  'doctor.tz.same': { zh: '时区：{zone}', en: 'time zone: {zone}' },
  'doctor.tz.differs': { zh: '时区：系统为 {system}，配置为 {config}', en: 'time zone: the system uses {system}, the configuration {config}' },
  'doctor.tz.differs.fix': { zh: '运行 sudo timedatectl set-timezone {config}，使日志与采集时间一致', en: 'run sudo timedatectl set-timezone {config} so that logs and capture times agree' },

  'doctor.listener.serving': { zh: '端口 {port}：采集服务正在运行', en: 'port {port}: the rig service is answering' },
  'doctor.listener.free': { zh: '端口 {port}：空闲（服务未运行）', en: 'port {port}: free (the service is not running)' },
  'doctor.listener.taken': { zh: '端口 {port}：已被其他程序占用', en: 'port {port}: taken by another program' },
  'doctor.listener.taken.fix': { zh: '用 sudo ss -ltnp 找出占用的程序并停止它，或在配置中换端口', en: 'find the program with sudo ss -ltnp and stop it, or choose another port in the configuration' },
  'doctor.listener.unknown': { zh: '端口 {port}：有程序接受连接但未及时应答', en: 'port {port}: something accepts connections but does not answer in time' },
  'doctor.listener.unknown.fix': { zh: '查看服务日志：journalctl -u rig -n 100', en: 'look at the service log: journalctl -u rig -n 100' },
  'doctor.listener.port_zero': { zh: '端口设为 0（每次启动随机端口）', en: 'port set to 0 (a random port at each start)' },
  'doctor.listener.port_zero.fix': { zh: '在配置中设定固定端口，触摸屏和教务处需要固定地址', en: 'set a fixed port in the configuration: the touch screen and the office need a fixed address' },

  'doctor.tls.valid': { zh: 'HTTPS 证书：有效期至 {until}（还有 {days} 天）', en: 'HTTPS certificate: valid until {until} ({days} days)' },
  'doctor.tls.loopback': { zh: 'HTTPS：教务接口只在本机监听，无需证书', en: 'HTTPS: the staff listener is loopback only; no certificate needed' },
  'doctor.tls.none': { zh: 'HTTPS：教务接口在局域网上以明文 HTTP 提供', en: 'HTTPS: the staff listener serves plain HTTP on the LAN' },
  'doctor.tls.none.fix': { zh: '在配置 staff.tls 中设置证书和私钥（学校的证书或内部 CA 签发）', en: 'set staff.tls cert and key in the configuration (the school\'s certificate or one from an internal CA)' },
  'doctor.tls.unreadable': { zh: 'HTTPS 证书：无法读取或不是 PEM 证书', en: 'HTTPS certificate: unreadable or not a PEM certificate' },
  'doctor.tls.unreadable.fix': { zh: '检查 staff.tls.cert 指向的文件及其权限', en: 'check the file staff.tls.cert names and its permissions' },
  'doctor.tls.expired': { zh: 'HTTPS 证书：已于 {until} 过期', en: 'HTTPS certificate: expired on {until}' },
  'doctor.tls.expired.fix': { zh: '更换证书后运行 sudo systemctl restart rig', en: 'replace the certificate, then run sudo systemctl restart rig' },
  'doctor.tls.expiring': { zh: 'HTTPS 证书：{until} 到期（还有 {days} 天）', en: 'HTTPS certificate: expires on {until} ({days} days left)' },
  'doctor.tls.expiring.fix': { zh: '及早更换证书，之后运行 sudo systemctl restart rig', en: 'renew the certificate soon, then run sudo systemctl restart rig' },
} as const satisfies Catalogue;

/** The reason codes of this catalogue: a code without both texts does not compile. */
export type DoctorCode = keyof typeof doctorMessages;
