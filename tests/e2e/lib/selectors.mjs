// Every selector the end-to-end flows use, in one place, so a change in the console's markup
// is fixed here once. They follow the stable ids and `data-testid`s of web/src/ui/*.rs: a form
// field is `#<id>` with its inline error in `#<id>-error`; a submit button is `#<form>-submit`.

export const tid = (id) => `[data-testid="${id}"]`;

/** Rows carry the resource id in `data-id`. */
const row = (testid) => (id) => `${tid(testid)}[data-id="${id}"]`;

export const shell = {
  home: tid('page-home'),
  nav: {
    inventory: tid('nav-inventory'),
    directconnect: tid('nav-directconnect'),
    directlink: tid('nav-directlink'),
    outposts: tid('nav-outposts'),
    oci: tid('nav-oci'),
  },
  logout: tid('logout'),
  sandboxBanner: tid('sandbox-banner'),
  readOnlyNotice: tid('read-only'),
  region: '#region',
  profile: '#profile',
};

export const login = {
  form: tid('login-form'),
  token: '#login-token',
  submit: '#login-submit',
};

/** The pieces of a provider error box (`ErrorBox`), looked up inside the box's own test id. */
export const errorBox = {
  code: tid('error-code'),
  message: tid('error-message'),
  requestId: tid('error-request-id'),
};

/** A state badge; its `data-state` is the provider's state string. */
export const state = tid('state');

/** The inline error of a field. */
export const fieldError = (fieldId) => `#${fieldId}-error`;

/** The inventory, the home page (web/src/ui/inventory.rs). */
export const inventory = {
  table: tid('inventory-table'),
  row: tid('inv-row'),
  status: tid('sweep-status'),
  sweep: tid('sweep'),
  scopeError: tid('scope-error'),
  hint: tid('hint'),
  bgpFlag: tid('bgp-flag'),
  exportCsv: tid('export-csv'),
  exportJson: tid('export-json'),
  topology: tid('topology'),
  topologyNode: `${tid('topology')} [data-node]`,
  topologyDetails: tid('topology-details'),
  topologyText: tid('topology-text'),
  topologyDownload: tid('topology-download'),
  exportTerraform: tid('export-terraform'),
  exportCli: tid('export-cli'),
};

/** A private interface's router configuration panel (web/src/ui/exports.rs). */
export const router = {
  open: tid('router-config-open'),
  panel: tid('router-config'),
  text: tid('router-config-text'),
  reveal: tid('router-reveal'),
  port: '#router-port',
  remoteAsn: '#router-remote-asn',
  close: tid('router-close'),
  error: tid('router-error'),
  download: tid('router-download'),
  local: tid('router-local'),
};

/** Direct Connect and DirectLink share one set of components, per page. */
export const dx = {
  page: (service) => tid(`page-${service}`),
  connectionsCard: `.card:has(${tid('connections-table')})`,
  connectionsTable: tid('connections-table'),
  connectionRow: row('connection-row'),
  noConnections: tid('no-connections'),
  refresh: tid('refresh-connections'),
  connectionsError: tid('connections-error'),
  showVifs: tid('show-vifs'),
  deleteConnection: tid('delete-connection'),
  deleteConnectionError: tid('delete-connection-error'),
  editTags: tid('edit-tags'),
  resourceTags: tid('resource-tags'),
  tags: {
    form: tid('tags-form'),
    add: tid('edit-tags-add'),
    key: (i) => `#edit-tags-key-${i}`,
    value: (i) => `#edit-tags-value-${i}`,
    error: tid('edit-tags-error'),
    cli: '#tags-cli',
    submit: '#tags-submit',
  },
  create: {
    form: tid('create-connection-form'),
    location: '#cc-location',
    bandwidth: '#cc-bandwidth',
    name: '#cc-name',
    lag: '#cc-lag',
    providerName: '#cc-provider-name',
    tagsAdd: tid('cc-tags-add'),
    tagKey: (i) => `#cc-tags-key-${i}`,
    tagValue: (i) => `#cc-tags-value-${i}`,
    tagsError: tid('cc-tags-error'),
    cli: '#cc-cli',
    submit: '#cc-submit',
    created: tid('created'),
    error: tid('create-connection-error'),
  },
  vif: {
    section: tid('vif-section'),
    table: tid('vifs-table'),
    row: row('vif-row'),
    form: tid('vif-form'),
    modeCreate: '#vif-mode-create',
    modeAllocate: '#vif-mode-allocate',
    name: '#vif-name',
    vlan: '#vif-vlan',
    asn: '#vif-asn',
    authKey: '#vif-auth-key',
    amazonAddress: '#vif-amazon-address',
    customerAddress: '#vif-customer-address',
    gateway: '#vif-vgw',
    owner: '#vif-owner',
    cli: '#vif-cli',
    submit: '#vif-submit',
    created: tid('vif-created'),
    error: tid('vif-error'),
    confirm: tid('confirm-vif'),
    confirmForm: tid('confirm-vif-form'),
    confirmGateway: '#confirm-vgw',
    confirmSubmit: '#confirm-submit',
    delete: tid('delete-vif'),
    actionError: tid('vif-action-error'),
  },
};

/** The inline "are you sure" panel; scope it to its section. */
export const confirm = {
  panel: tid('confirm-panel'),
  yes: tid('confirm-yes'),
  no: tid('confirm-no'),
};

export const outposts = {
  page: tid('page-outposts'),
  start: {
    form: tid('start-connection-form'),
    asset: '#sc-asset',
    key: '#sc-key',
    serial: '#sc-serial',
    index: '#sc-index',
    cli: '#sc-cli',
    submit: '#sc-submit',
    result: tid('start-connection-result'),
    connectionId: tid('outposts-connection-id'),
    underlayIp: tid('outposts-underlay-ip'),
    error: tid('start-connection-error'),
    generate: tid('wg-generate'),
    downloadPrivate: tid('wg-download-private'),
    keyStatus: tid('wg-key-status'),
  },
  lookup: {
    form: tid('get-connection-form'),
    id: '#gc-id',
    cli: '#gc-cli',
    submit: '#gc-submit',
    result: tid('get-connection-result'),
    error: tid('get-connection-error'),
    /** A `dd` of the details, by its `dt`'s text. */
    detail: (label) => `${tid('get-connection-result')} dt:text-is("${label}") + dd`,
    wgQuick: tid('wg-quick'),
    wgQuickText: tid('wg-quick-text'),
    wgQuickDownload: tid('wg-quick-download'),
    wgQuickError: tid('wg-quick-error'),
  },
};

export const oci = {
  page: tid('page-oci'),
  list: {
    form: tid('oci-list-form'),
    compartment: '#oci-compartment',
    instance: '#oci-filter-instance',
    submit: '#oci-list-submit',
    table: tid('oci-table'),
    row: row('oci-row'),
    none: tid('no-oci'),
    error: tid('oci-list-error'),
  },
  sshString: tid('ssh-string'),
  vncString: tid('vnc-string'),
  identity: '#oci-identity',
  sshAccess: tid('ssh-access'),
  sshAccessOpen: `${tid('ssh-access')} > summary`,
  sshCommand: tid('ssh-command'),
  sshConfig: tid('ssh-config'),
  sshHostKey: tid('ssh-host-key'),
  sshAccessError: tid('ssh-access-error'),
  delete: tid('delete-oci'),
  deleteError: tid('delete-oci-error'),
  create: {
    form: tid('oci-create-form'),
    instance: '#oci-instance',
    key: '#oci-key',
    keyFile: '#oci-key-file',
    fingerprintSha256: tid('fingerprint-sha256'),
    fingerprintMd5: tid('fingerprint-md5'),
    cli: '#oci-cli',
    submit: '#oci-submit',
    created: tid('oci-created'),
    error: tid('oci-create-error'),
  },
};
