// Drives the sandbox's Xero simulator with Xero's own Node client (xero-node), unchanged but for its base path, and
// fails on the first answer the client cannot read or that is not what the real API would say.
// Usage: start the sandbox (./run sandbox), then: npm ci && node check.js [http://127.0.0.1:5080]
const assert = require('node:assert/strict');
const { AccountingApi } = require('xero-node');

const base = process.argv[2] ?? 'http://127.0.0.1:5080';
const tenant = '6c2a3b8e-5d1f-4c7a-9e0b-2f4d6a8c0e1f';
const org = `/admin/xero/organisations/${tenant}`;

async function admin(method, path, body) {
  const response = await fetch(base + path, { method, headers: { 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
  assert.ok(response.ok, `${method} ${path}: ${response.status}`);
  return response.status === 204 ? null : response.json();
}

async function refusal(call) {
  try {
    await call();
  } catch (error) {
    const failure = typeof error === 'string' ? JSON.parse(error) : error;
    return failure.response;
  }
  assert.fail('the call was expected to be refused');
}

(async () => {
  const api = new AccountingApi(`${base}/api.xro/2.0`);
  api.accessToken = 'sandbox-xero-token';
  const run = Date.now().toString(36);
  const clearing = `C${run.slice(-5)}`;
  const since = new Date(Date.now() - 1000);
  const contact = await admin('POST', `${org}/contacts`, {
    name: `Acme ${run}`, emailAddress: 'billing@acme.test',
    contactPersons: [{ firstName: 'Ana', emailAddress: 'ap@acme.test', includeInEmails: true }],
  });
  const seeded = await admin('POST', `${org}/invoices`, { contactId: contact.contactId, invoiceNumber: `CW-${run}`, amount: 100 });
  await admin('POST', `${org}/accounts`, { code: clearing, name: `Clearing ${run}`, type: 'BANK' });

  const accounts = (await api.getAccounts(tenant)).body.accounts;
  assert.ok(accounts.some(a => a.code === '092' && a.enablePaymentsToAccount === true));

  const contacts = (await api.getContacts(tenant, since, undefined, undefined, [contact.contactId], 1)).body.contacts;
  assert.equal(contacts[0].emailAddress, 'billing@acme.test');
  assert.equal(contacts[0].contactPersons[0].includeInEmails, true);
  assert.ok(contacts[0].updatedDateUTC instanceof Date);

  const listed = await api.getInvoices(tenant, since, 'Type=="ACCREC" AND Status=="AUTHORISED"', undefined, undefined,
    [`CW-${run}`], undefined, ['AUTHORISED'], 1);
  assert.equal(listed.body.invoices.length, 1);
  assert.equal(listed.body.invoices[0].amountDue, 100);
  assert.equal(listed.body.invoices[0].lineItems.length, 1);
  assert.equal(listed.body.pagination.itemCount, 1);
  assert.ok(listed.body.invoices[0].date instanceof Date);

  const payment = { invoice: { invoiceID: seeded.invoiceId }, account: { code: clearing }, date: '2026-12-05', amount: 40, reference: 'ch_1' };
  const first = (await api.createPayment(tenant, payment, `pay-${run}`)).body.payments[0];
  const replayed = (await api.createPayment(tenant, payment, `pay-${run}`)).body.payments[0];
  assert.equal(replayed.paymentID, first.paymentID, 'the Idempotency-Key replays the first answer');
  assert.equal(first.status, 'AUTHORISED');

  const tooMuch = await refusal(() => api.createPayment(tenant, { ...payment, amount: 900 }));
  assert.equal(tooMuch.statusCode, 400);
  assert.equal(tooMuch.body.Type, 'ValidationException');
  assert.equal(tooMuch.body.Elements[0].ValidationErrors[0].Message, 'Payment amount exceeds the amount outstanding on this document');

  const paid = (await api.getInvoice(tenant, seeded.invoiceId)).body.invoices[0];
  assert.equal(paid.amountDue, 60);
  assert.equal(paid.amountPaid, 40);

  const deleted = (await api.deletePayment(tenant, first.paymentID, { status: 'DELETED' })).body.payments[0];
  assert.equal(deleted.status, 'DELETED');
  assert.equal((await api.getInvoice(tenant, seeded.invoiceId)).body.invoices[0].amountDue, 100);

  const transfer = (await api.createBankTransfer(tenant, {
    bankTransfers: [{ fromBankAccount: { code: clearing }, toBankAccount: { code: '090' }, amount: 10, date: '2026-12-07' }],
  })).body.bankTransfers[0];
  assert.equal(transfer.amount, 10);

  const fee = (await api.createBankTransactions(tenant, {
    bankTransactions: [{ type: 'SPEND', contact: { contactID: contact.contactId }, bankAccount: { code: clearing }, date: '2026-12-07',
      lineItems: [{ description: 'Card processing fee', quantity: 1, unitAmount: 2.9, accountCode: '404' }] }],
  })).body.bankTransactions[0];
  assert.equal(fee.total, 2.9);

  const badWhere = await refusal(() => api.getInvoices(tenant, undefined, 'Colour=="RED"'));
  assert.equal(badWhere.statusCode, 400);
  assert.equal(badWhere.body.Type, 'QueryParseException');

  console.log('xero-node against the sandbox: OK');
})().catch(error => {
  console.error('xero-node against the sandbox: FAILED', error);
  process.exit(1);
});
