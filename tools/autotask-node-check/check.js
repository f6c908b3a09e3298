// Drives the sandbox's Autotask simulator with @apigrate/autotask-restapi (a widely used Node client of Autotask's REST
// API), unchanged but for its base URL, and fails on the first answer the client cannot read or that is not what the
// real API would say. Each run makes its own database through the admin API, so runs do not see each other's data.
// Usage: start the sandbox (./run sandbox), then: npm ci && node check.js [http://127.0.0.1:5080]
const assert = require('node:assert/strict');
const { AutotaskRestApi, AutotaskApiError, FilterOperators } = require('@apigrate/autotask-restapi');

const base = process.argv[2] ?? 'http://127.0.0.1:5080';
const run = Date.now().toString(36);

async function admin(method, path, body) {
  const response = await fetch(base + path, { method, headers: { 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
  assert.ok(response.ok, `${method} ${path}: ${response.status}`);
  return response.status === 204 ? null : response.json();
}

async function refusal(call) {
  try {
    await call();
  } catch (error) {
    assert.ok(error instanceof AutotaskApiError, String(error));
    return error;
  }
  assert.fail('the call was expected to be refused');
}

(async () => {
  const db = await admin('POST', '/admin/autotask/databases', {
    databaseId: `check-${run}`, userName: `api-${run}@check.test`, secret: `secret-${run}`, integrationCode: `CHECK${run.toUpperCase()}`,
  });
  await admin('POST', `/admin/autotask/databases/${db.databaseId}/seed`, { seed: 7, companies: 3, invoicesPerCompany: 3 });
  const api = new AutotaskRestApi(db.userName, db.secret, db.integrationCode, { base_url: `${base}/ATServicesRest/` });

  // The zone look-up happens inside the first call; the client then talks to the zone URL it was given.
  const open = { filter: [
    { op: FilterOperators.eq, field: 'isVoided', value: false },
    { op: FilterOperators.notExist, field: 'paidDate' },
  ] };
  const counted = await api.Invoices.count(open);
  assert.equal(api.zoneInfo.url, `${base}/ATServicesRest/`);
  assert.equal(counted.queryCount, 9);

  const companies = (await api.Companies.query({ filter: [{ op: FilterOperators.gt, field: 'id', value: 0 }],
    includeFields: ['id', 'companyName', 'billToAttention'] })).items;
  assert.equal(companies.length, 3);
  assert.deepEqual(Object.keys(companies[0]).sort(), ['billToAttention', 'companyName', 'id', 'userDefinedFields']);

  const billing = (await api.Contacts.query({ filter: [
    { op: FilterOperators.in, field: 'companyID', value: companies.map(c => c.id) },
    { op: 'or', items: [{ op: FilterOperators.eq, field: 'primaryContact', value: true }, { op: FilterOperators.beginsWith, field: 'title', value: 'Accounts' }] },
  ] })).items;
  assert.equal(billing.length, 3);
  assert.ok(billing.every(c => c.emailAddress.startsWith('ap@')));

  // Paging: pages of 4 by id. The client queries with POST, and Autotask's page URLs of a POSTed query are POSTed again
  // with the same body (the client has no call for them, so they are fetched with its headers).
  const search = { ...open, MaxRecords: 4 };
  const first = await api.Invoices.query(search);
  assert.equal(first.pageDetails.count, 4);
  assert.equal(first.pageDetails.requestCount, 4);
  assert.equal(first.pageDetails.prevPageUrl, null);
  const headers = { 'Content-Type': 'application/json', ApiIntegrationCode: db.integrationCode, UserName: db.userName, Secret: db.secret };
  const page = async url => (await fetch(url, { method: 'POST', headers, body: JSON.stringify(search) })).json();
  const second = await page(first.pageDetails.nextPageUrl);
  const third = await page(second.pageDetails.nextPageUrl);
  const back = await page(third.pageDetails.prevPageUrl);
  assert.equal((await fetch(first.pageDetails.nextPageUrl, { headers })).status, 405, 'a GET of a POSTed query\'s page is refused');
  assert.equal(third.pageDetails.count, 1);
  assert.equal(third.pageDetails.nextPageUrl, null);
  assert.deepEqual(back.items.map(i => i.id), second.items.map(i => i.id));
  const ids = [...first.items, ...second.items, ...third.items].map(i => i.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b));

  // The writes Autotask allows on an invoice, and the ones it refuses.
  const invoice = first.items[0];
  assert.deepEqual(await api.Invoices.update({ id: invoice.id, paidDate: '2026-12-05T15:30:00', webServiceDate: '2026-12-05T15:30:00Z' }), { itemId: invoice.id });
  const paid = (await api.Invoices.get(invoice.id)).item;
  assert.equal(paid.paidDate, '2026-12-05T00:00:00Z');
  assert.equal(paid.webServiceDate, '2026-12-05T15:30:00Z');
  assert.equal((await api.Invoices.count(open)).queryCount, 8);

  const readOnly = await refusal(() => api.Invoices.update({ id: invoice.id, invoiceTotal: 1 }));
  assert.equal(readOnly.status, 500);
  assert.match(readOnly.details.errors[0], /invoiceTotal/);
  const create = await refusal(() => api.Invoices.create({ companyID: invoice.companyID, invoiceTotal: 10 }));
  assert.equal(create.status, 405);
  const badQuery = await refusal(() => api.Invoices.query({ filter: [{ op: 'like', field: 'invoiceNumber', value: '1' }] }));
  assert.equal(badQuery.status, 500);
  assert.ok(Array.isArray(badQuery.details.errors));
  assert.equal(await api.Invoices.get(1), null, 'a missing id is a 404, which the client reads as null');

  const wrongSecret = new AutotaskRestApi(db.userName, 'not-the-secret', db.integrationCode, { base_url: `${base}/ATServicesRest/` });
  assert.equal((await refusal(() => wrongSecret.Invoices.count(open))).status, 401);

  const books = await admin('GET', `/admin/autotask/databases/${db.databaseId}/books`);
  assert.equal(books.invoices.find(i => i.id === invoice.id).paidDate, '2026-12-05T00:00:00Z');

  console.log('@apigrate/autotask-restapi against the sandbox: OK');
})().catch(error => {
  console.error('@apigrate/autotask-restapi against the sandbox: FAILED', error);
  process.exit(1);
});
