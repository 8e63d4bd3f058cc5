// The only module that talks to the Rust side. Errors arrive as {code, message, field, fields},
// and an import's as {file, problems: [{line, field, message}], more_problems} too.

/** The Tauri bridge the window injects (`withGlobalTauri`). */
const tauri = /** @type {any} */ (window).__TAURI__;

const invoke = (cmd, args) => tauri.core.invoke(cmd, args);

export class ApiError extends Error {
  constructor(e) {
    super(typeof e === 'string' ? e : e?.message ?? String(e));
    this.code = e?.code ?? 'internal';
    this.field = e?.field ?? null;
    this.fields = e?.fields ?? [];
    /** @type {string | null} */
    this.file = e?.file ?? null;
    /** @type {Array<{line: number, field: string, message: string}>} */
    this.problems = e?.problems ?? [];
    /** @type {number} */
    this.moreProblems = e?.more_problems ?? 0;
  }
}

async function call(cmd, args) {
  try {
    return await invoke(cmd, args);
  } catch (e) {
    throw new ApiError(e);
  }
}

export const api = {
  status: () => call('get_app_status'),
  createDatabase: (demo, language) => call('create_database', { demo, language }),
  unlock: (recoveryKey) => call('unlock_database', { recoveryKey }),
  recoveryKey: () => call('show_recovery_key'),
  verifyAuditTrail: () => call('verify_audit_trail'),
  backupWithDialog: (title) => call('write_backup_with_dialog', { title }),
  chooseBackup: (title) => call('choose_backup', { title }),
  restoreChosenBackup: (recoveryKey) => call('restore_chosen_backup', { recoveryKey }),
  backupStatus: () => call('get_backup_status'),
  setBackupReminder: (days) => call('set_backup_reminder', { days }),
  setLanguage: (language) => call('set_language', { language }),
  referenceData: () => call('get_reference_data'),
  listCustomers: (query) => call('list_customers', { query }),
  getCustomer: (id) => call('get_customer', { id }),
  createCustomer: (input, overrideReason = null, checks = []) => call('create_customer', { input, overrideReason, checks }),
  updateCustomer: (id, input, overrideReason = null) => call('update_customer', { id, input, overrideReason }),
  changeCustomerStatus: (id, change) => call('change_customer_status', { id, change }),
  recordCheck: (customerId, check) => call('record_onboarding_check', { customerId, check }),
  clearCheck: (customerId, item) => call('clear_onboarding_check', { customerId, item }),
  addSubscription: (customerId, input) => call('add_subscription', { customerId, input }),
  changeSubscription: (id, change) => call('change_subscription', { id, change }),
  aging: (asOf, edges) => call('get_aging_report', { asOf, edges }),
  statement: (customerId, asOf) => call('get_customer_statement', { customerId, asOf }),
  planDunning: (asOf) => call('plan_dunning_run', { asOf }),
  previewLetter: (asOf, customerId, noCharges, noSuspension) => call('preview_letter', { asOf, customerId, noCharges, noSuspension }),
  executeDunning: (asOf, exclusions, fingerprint) => call('execute_dunning_run', { asOf, exclusions, fingerprint }),
  dunningRuns: () => call('list_dunning_runs'),
  dunningFolder: () => call('get_dunning_folder'),
  chooseDunningFolder: (title) => call('choose_dunning_folder', { title }),
  reprintRun: (runId) => call('reprint_dunning_run', { runId }),
  writeEmailDrafts: (runId) => call('write_email_drafts', { runId }),
  sendRunMail: (runId, again) => call('send_run_mail', { runId, again }),
  runMailLog: (runId) => call('list_run_mail', { runId }),
  mailSettings: () => call('get_mail_settings'),
  saveMailSettings: (input, password) => call('save_mail_settings', { input, password }),
  sendTestMail: (to) => call('send_test_mail', { to }),
  sendDocumentMail: (request, again) => call('send_document_mail', { request, again }),
  setCreditLine: (input) => call('set_credit_line', { input }),
  msInvoices: () => call('list_ms_invoices'),
  addMsInvoice: (input) => call('add_ms_invoice', { input }),
  setMsInvoicePaid: (number, paidOn) => call('set_ms_invoice_paid', { number, paidOn }),
  headroom: () => call('get_microsoft_headroom'),
  policies: () => call('list_policies'),
  savePolicy: (policy) => call('save_policy', { policy }),
  assignPolicy: (customerId, policyId) => call('assign_policy', { customerId, policyId }),
  customerCollections: (customerId, asOf) => call('get_customer_collections', { customerId, asOf }),
  saveDocumentAs: (request, title) => call('save_document_as', { request, title }),
  exportCustomersWithDialog: (title) => call('export_customers_with_dialog', { title }),
  exportOpenItemsWithDialog: (title, asOf, edges) => call('export_open_items_with_dialog', { title, asOf, edges }),
  writeDocumentDraft: (request) => call('write_document_draft', { request }),
  openDocument: (path) => call('open_document', { path }),
  showInFolder: (path) => call('show_in_folder', { path }),
  letterhead: () => call('get_letterhead'),
  saveLetterhead: (values) => call('save_letterhead', { values }),
  recordPayment: (customerId, input) => call('record_payment', { customerId, input }),
  returnPayment: (paymentId, input) => call('return_payment', { paymentId, input }),
  setDispute: (invoiceId, disputed, note) => call('set_dispute', { invoiceId, disputed, note }),
  writeOff: (invoiceId, on, reason) => call('write_off_invoice', { invoiceId, on, reason }),
  addPromise: (customerId, input) => call('add_promise', { customerId, input }),
  requestPrepayment: (customerId, input) => call('request_prepayment', { customerId, input }),
  prepaymentReceived: (id, on) => call('mark_prepayment_received', { id, on }),
  prepayments: () => call('list_prepayments'),
  importWithDialog: (kind, title, existingBook = null) => call('import_with_dialog', { kind, title, existingBook }),
  importUsage: (format, customer, title) => call('import_usage_with_dialog', { format, customer, title }),
  chooseBankStatement: (title) => call('choose_bank_statement', { title }),
  importBankStatement: (input) => call('import_bank_statement', { input }),
  bankLines: (openOnly) => call('list_bank_lines', { openOnly }),
  acceptBankLine: (lineId) => call('accept_bank_line', { lineId }),
  acceptSureBankLines: () => call('accept_sure_bank_lines'),
  confirmBankLine: (lineId, decision) => call('confirm_bank_line', { lineId, decision }),
  ignoreBankLine: (lineId, note) => call('ignore_bank_line', { lineId, note }),
  openInvoices: (customerId) => call('list_open_invoices', { customerId }),
  customerPlans: (customerId) => call('list_customer_plans', { customerId }),
  previewPaymentPlan: (input) => call('preview_payment_plan', { input }),
  createPaymentPlan: (input) => call('create_payment_plan', { input }),
  cancelPaymentPlan: (planId, note) => call('cancel_payment_plan', { planId, note }),
  bankFeeTolerance: () => call('get_bank_fee_tolerance'),
  setBankFeeTolerance: (text) => call('set_bank_fee_tolerance', { text }),
  usageOverview: () => call('get_usage_overview'),
  countAlerts: () => call('count_usage_alerts'),
  derivedStatus: () => call('get_derived_status'),
  refreshDerived: () => call('refresh_derived'),
  linkTenant: (tenant, customerId) => call('link_usage_tenant', { tenant, customerId }),
  setBudget: (input) => call('set_usage_budget', { input }),
  removeBudget: (customerId, subscription) => call('remove_usage_budget', { customerId, subscription }),
  usageAlerts: (includeResolved, customerId) => call('list_usage_alerts', { includeResolved, customerId }),
  setAlert: (id, status, note) => call('set_usage_alert', { id, status, note }),
  customerUsage: (customerId) => call('get_customer_usage', { customerId }),
  importNotices: (title) => call('import_notices_with_dialog', { title }),
  notices: () => call('list_notices'),
  addNotice: (input) => call('add_notice', { input }),
  setNoticeStatus: (id, status, note, fraudFrom) => call('set_notice_status', { id, status, note, fraudFrom }),
  recordNoticeClaim: (id, on) => call('record_notice_claim', { id, on }),
  importActivity: (title) => call('import_activity_with_dialog', { title }),
  activityLog: (limit) => call('list_activity_log', { limit }),
  incidents: () => call('list_incidents'),
  linkIncident: (id, kind, refId) => call('link_incident_evidence', { id, kind, refId }),
  customerRisk: (customerId) => call('get_customer_risk', { customerId }),
  riskScores: () => call('list_risk_scores'),
  riskAgenda: () => call('get_risk_agenda'),
  adminRelationships: (customerId) => call('list_admin_relationships', { customerId }),
  addAdminRelationship: (customerId, input) => call('add_admin_relationship', { customerId, input }),
  endAdminRelationship: (id, on) => call('end_admin_relationship', { id, on }),
  markActionDone: (item, note) => call('mark_action_done', { item, note }),
  riskSettings: () => call('get_risk_settings'),
  previewRiskSettings: (changes) => call('preview_risk_settings', { changes }),
  saveRiskSettings: (changes) => call('save_risk_settings', { changes }),
  exchangeRates: () => call('list_exchange_rates'),
  setExchangeRate: (input) => call('set_exchange_rate', { input }),
  removeExchangeRate: (id) => call('remove_exchange_rate', { id }),
  saveUsageSettings: (changes) => call('save_usage_settings', { changes }),
  openIncident: (input) => call('open_incident', { input }),
  recordIncidentAction: (id, action, subscriptionId, note) => call('record_incident_action', { id, action, subscriptionId, note }),
  closeIncident: (id, note) => call('close_incident', { id, note }),
};

/** Subscribes to a progress event; resolves to the function that unsubscribes. */
export function onEvent(name, fn) {
  return tauri.event.listen(name, (e) => fn(e.payload));
}
