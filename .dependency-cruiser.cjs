// The layering of controller/src (README "Layout"), written once as rules and checked by `npm run lint`.
//   server, cli -> app -> domain; adapters (camera, imaging, store, formats, firmware-bridge) implement
//   the ports in app/ports and import domain, never server, cli, config or another adapter.
const ADAPTERS = '(camera|imaging|store|formats)';
const SRC = '^controller/src/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle means two modules are one module in two files: move the shared part into its own module.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'domain/ holds the rules: it imports only domain/ (and hashing), never I/O, packages or other layers.',
      from: { path: `${SRC}domain/` },
      to: {
        pathNot: [`${SRC}domain/`],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'domain-no-io',
      severity: 'error',
      comment: 'domain/ does no I/O: of the Node built-ins only crypto (hashing) is allowed.',
      from: { path: `${SRC}domain/` },
      to: { dependencyTypes: ['core'], pathNot: ['^crypto$'] },
    },
    {
      name: 'app-uses-ports',
      severity: 'error',
      comment: 'Use cases (app/) depend on domain/, their ports (app/ports: the Camera and Rig ports included) and the file formats; no adapter, not even a port file beside one: adapters are plugged in by server/ or cli/.',
      from: { path: `${SRC}app/` },
      to: { path: [`${SRC}(server|cli|config|camera|imaging|store)/`, '^firmware-bridge/'] },
    },
    {
      name: 'adapters-stay-adapters',
      severity: 'error',
      comment: 'Adapters implement ports: they import domain/ and app/ports, never the entry points, the use cases or configuration loading.',
      from: { path: [`${SRC}${ADAPTERS}/`, '^firmware-bridge/src/'] },
      to: { path: [`${SRC}(server|cli|config)/`, `${SRC}app/(?!ports/)`] },
    },
    {
      name: 'adapters-stand-alone',
      severity: 'error',
      comment: 'One adapter does not reach into another: what they share is a port or a domain type.',
      from: { path: `${SRC}${ADAPTERS}/` },
      to: { path: [`${SRC}${ADAPTERS}/`, '^firmware-bridge/'], pathNot: `${SRC}$1/` },
    },
    {
      name: 'firmware-bridge-alone',
      severity: 'error',
      comment: 'firmware-bridge/ is the rig side: it sees domain/ and app/ports of the controller, nothing else.',
      from: { path: '^firmware-bridge/src/' },
      to: { path: '^controller/', pathNot: [`${SRC}domain/`, `${SRC}app/ports/`] },
    },
    {
      name: 'server-not-cli',
      severity: 'error',
      comment: 'The `rig` command starts the servers, not the other way round.',
      from: { path: `${SRC}server/` },
      to: { path: `${SRC}cli/` },
    },
    {
      name: 'config-reads-settings',
      severity: 'error',
      comment: 'config/ loads settings for the entry points; it depends on domain/ (messages) only.',
      from: { path: `${SRC}config/` },
      to: { path: ['^controller/src/(?!config/|domain/)', '^firmware-bridge/', '^kiosk-ui/'] },
    },
    {
      name: 'ui-is-a-browser-app',
      severity: 'error',
      comment: 'kiosk-ui/ runs in the browser: of the controller it loads only domain/ (message catalogues, pure rules); the API types (KioskView) come in as type-only imports, erased at build.',
      from: { path: '^kiosk-ui/' },
      to: { path: ['^controller/(?!src/domain/)', '^firmware-bridge/'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-tests-in-production',
      severity: 'error',
      comment: 'Production code never imports test code.',
      from: { path: ['^controller/', '^firmware-bridge/', '^kiosk-ui/'] },
      to: { path: '^test/' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve is a typo or a missing dependency.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^kiosk-ui/dist/', '^test/\\.generated/', '^test/artifacts/', '^data/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
