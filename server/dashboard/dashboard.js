// The secretsmanager-local dashboard. It reads what any client can: the
// Secrets Manager JSON API (POST / with X-Amz-Target; the account and region
// come from the Authorization header's credential scope, as the server reads
// it with --auth off) and the admin API under /_local/. Every POLL_MS it
// fetches again and redraws only the parts whose content changed, keeping
// keyboard focus where it was.

const POLL_MS = 1500;
const TOKEN_KEY = 'sml-admin-token';
const PAGE_SIZE = 100;
const MAX_PAGES = 10;
const HISTORY_LIMIT = 20;

const $ = (id) => document.getElementById(id);

const state = {
  auth: 'off',
  defaultScope: null,
  scopes: [],
  scope: null,  // "account/region"
  secretId: null,  // name or ARN of the open secret
  secrets: [],
  truncated: false,  // more secrets than MAX_PAGES pages
  now: null,  // emulator epoch millis
  revealed: new Map(),  // versionId -> {text} | {error}
  openedAttempts: new Set(),
  closedAttempts: new Set(),
  live: true,
  advancing: false,
  tokenPrompt: null,
  tokenDeclined: false,
};

// ---- DOM ------------------------------------------------------------------

// h('td', {class: 'x'}, 'text', child): an element; strings become text nodes.
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

// Redraws `container` from `model` (plain data) unless it is what was drawn
// last; focus returns to the element with the same data-key.
const drawn = new WeakMap();
function update(container, model, build) {
  const signature = JSON.stringify(model);
  if (drawn.get(container) === signature) return;
  drawn.set(container, signature);
  const focused = container.contains(document.activeElement) ? document.activeElement : null;
  const key = focused?.dataset.key;
  const caret = focused?.selectionStart;
  container.replaceChildren(...[build(model)].flat().filter((node) => node instanceof Node));
  if (key) {
    const again = container.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (again) {
      again.focus({preventScroll: true});
      if (caret !== undefined && again.setSelectionRange) again.setSelectionRange(caret, caret);
    }
  }
}

function say(text) {
  $('status').textContent = text;
}

// ---- time -----------------------------------------------------------------

function isoUtc(millis) {
  return new Date(millis).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

// "3 min", "5 h", "29 d"
function span(ms) {
  if (ms < 3600e3) return `${Math.round(ms / 60e3)} min`;
  if (ms < 2 * 86400e3) return `${Math.round(ms / 3600e3)} h`;
  return `${Math.round(ms / 86400e3)} d`;
}

// "in 29 d", "3 min ago": relative to the emulator's clock, not the wall.
function relative(millis) {
  if (state.now === null) return '';
  const delta = millis - state.now;
  if (Math.abs(delta) < 60e3) return 'now';
  return delta > 0 ? `in ${span(delta)}` : `${span(-delta)} ago`;
}

// An AWS timestamp (epoch seconds) as {text, rel, iso}, or null.
function when(seconds) {
  if (seconds === undefined || seconds === null) return null;
  const millis = Math.round(seconds * 1000);
  return {text: isoUtc(millis), rel: relative(millis), iso: new Date(millis).toISOString()};
}

function timeCell(t, empty = '—') {
  if (!t) return h('span', {class: 'muted'}, empty);
  return h('time', {datetime: t.iso, title: t.text}, t.text, t.rel && h('span', {class: 'rel'}, t.rel));
}

function duration(ms) {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

// ---- requests -------------------------------------------------------------

class RequestError extends Error {
  constructor(status, type, message) {
    super(message ? `${type}: ${message}` : type);
    this.status = status;
    this.type = type;
  }
}

async function send(path, {method = 'GET', headers = {}, body} = {}) {
  let response;
  try {
    response = await fetch(path, {method, headers, body, cache: 'no-store'});
  } catch (error) {
    throw new RequestError(0, 'Unreachable', `cannot reach the server (${error.message})`);
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : {};
  } catch {
    data = null;
  }
  if (!response.ok) {
    throw new RequestError(response.status, data?.__type ?? `HTTP ${response.status}`,
                           data?.Message ?? data?.message ?? '');
  }
  return data;
}

// An admin endpoint; a 403 asks the person for the token, then retries.
async function admin(path, options = {}) {
  for (;;) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    const headers = {...(options.headers ?? {})};
    if (token) headers['X-Sml-Admin-Token'] = token;
    try {
      return await send(path, {...options, headers});
    } catch (error) {
      if (error.status !== 403) throw error;
      const stored = sessionStorage.getItem(TOKEN_KEY);
      if (stored && stored !== token) continue;  // a newer token arrived meanwhile
      if (stored) sessionStorage.removeItem(TOKEN_KEY);
      if (!(await askForToken(Boolean(token)))) throw error;
    }
  }
}

function askForToken(refused) {
  if (state.tokenDeclined) return Promise.resolve(false);
  if (!state.tokenPrompt) {
    state.tokenPrompt = new Promise((resolve) => {
      const dialog = $('token-dialog');
      $('token-error').textContent = refused ? 'The server refused that token; try again.' : '';
      $('token-input').value = '';
      const finish = (ok) => {
        dialog.removeEventListener('close', onClose);
        state.tokenPrompt = null;
        state.tokenDeclined = !ok;
        if (dialog.open) dialog.close();
        drawTokenState();
        resolve(ok);
      };
      const onClose = () => finish(Boolean(sessionStorage.getItem(TOKEN_KEY)));
      dialog.addEventListener('close', onClose);
      $('token-form').onsubmit = (event) => {
        event.preventDefault();
        const token = $('token-input').value.trim();
        if (!token) return;
        sessionStorage.setItem(TOKEN_KEY, token);
        finish(true);
      };
      $('token-cancel').onclick = () => finish(false);
      dialog.showModal();
    });
  }
  return state.tokenPrompt;
}

// A Secrets Manager operation in the selected account and region.
function aws(operation, input) {
  const [account, region] = state.scope.split('/');
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '');
  return send('/', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `secretsmanager.${operation}`,
      'Authorization': `AWS4-HMAC-SHA256 Credential=${account}/${day}/${region}/secretsmanager/` +
                       'aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(input),
  });
}

// ---- the header: scope, clock, live ----------------------------------------

function readHash() {
  const [account, region, ...name] = decodeURIComponent(location.hash.slice(1)).split('/');
  if (/^\d{12}$/.test(account ?? '') && region) {
    state.scope = `${account}/${region}`;
    state.secretId = name.length ? name.join('/') : null;
  }
}

function writeHash() {
  const secret = state.secrets.find((s) => s.ARN === state.secretId)?.Name ?? state.secretId;
  const hash = '#' + state.scope + (secret ? '/' + secret : '');
  if (location.hash !== hash) history.replaceState(null, '', hash);
}

function drawScopes() {
  const pairs = new Set(state.scopes);
  if (state.defaultScope) pairs.add(state.defaultScope);
  if (state.scope) pairs.add(state.scope);
  const sorted = [...pairs].sort();
  update($('scope'), {sorted, selected: state.scope}, () => sorted.map((pair) =>
    h('option', {value: pair, selected: pair === state.scope}, pair.replace('/', ' · '))));
  $('scope').value = state.scope;
}

async function refreshScopes() {
  const reply = await admin('/_local/regions');
  state.scopes = reply.regions.map((r) => `${r.accountId}/${r.region}`);
  drawScopes();
}

function drawClock(clock) {
  state.now = clock.epochMillis;
  $('clock-now').textContent = isoUtc(clock.epochMillis);
  const ahead = clock.epochMillis - Date.now();
  $('clock-offset').textContent = ahead > 60e3 ? `${span(ahead)} ahead of real time` : '';
}

async function refreshClock() {
  drawClock(await admin('/_local/clock'));
  $('clock-form').hidden = state.auth === 'sigv4';
}

async function advanceClock(amount) {
  // One move at a time; buttons stay enabled so focus stays where it is.
  if (state.advancing) return;
  state.advancing = true;
  const form = $('clock-form');
  form.setAttribute('aria-busy', 'true');
  say(`Advancing the clock by ${amount}…`);
  try {
    const reply = await admin('/_local/clock', {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({advance: amount}),
    });
    // Shown with the message that announces it, not a refresh later.
    drawClock(reply);
    say(`Clock advanced by ${amount}; it is now ${isoUtc(reply.epochMillis)}.`);
  } catch (error) {
    say(`Could not advance the clock: ${error.message}`);
  } finally {
    form.removeAttribute('aria-busy');
    state.advancing = false;
  }
  await refresh();
}

function drawTokenState() {
  const stored = Boolean(sessionStorage.getItem(TOKEN_KEY));
  const el = $('token-state');
  el.replaceChildren();
  if (stored) {
    el.append('Admin token kept for this tab. ',
              h('button', {type: 'button', class: 'link', onclick: () => {
                sessionStorage.removeItem(TOKEN_KEY);
                drawTokenState();
              }}, 'Forget it'));
  } else if (state.tokenDeclined) {
    el.append('Admin data needs the token. ',
              h('button', {type: 'button', class: 'link', onclick: () => {
                state.tokenDeclined = false;
                drawTokenState();
                refresh();
              }}, 'Enter admin token'));
  }
}

// ---- secrets ----------------------------------------------------------------

async function refreshSecrets() {
  const secrets = [];
  let token;
  for (let page = 0; page < MAX_PAGES; page++) {
    const reply = await aws('ListSecrets', {
      MaxResults: PAGE_SIZE, IncludePlannedDeletion: true, SortBy: 'name', SortOrder: 'asc',
      ...(token ? {NextToken: token} : {}),
    });
    secrets.push(...reply.SecretList);
    token = reply.NextToken;
    if (!token) break;
  }
  state.secrets = secrets;
  state.truncated = Boolean(token);
  drawSecrets();
}

function tagList(tags) {
  return (tags ?? []).map((t) => `${t.Key}=${t.Value}`);
}

function drawSecrets() {
  const truncated = state.truncated;
  const filter = $('filter').value.trim().toLowerCase();
  const rows = state.secrets
    .filter((s) => !filter || s.Name.toLowerCase().includes(filter))
    .map((s) => ({
      arn: s.ARN, name: s.Name, description: s.Description ?? '', tags: tagList(s.Tags),
      rotation: Boolean(s.RotationEnabled), last: when(s.LastRotatedDate),
      next: when(s.NextRotationDate), deleted: when(s.DeletedDate),
      open: s.ARN === state.secretId || s.Name === state.secretId,
    }));
  $('secrets-count').textContent = `(${state.secrets.length}${truncated ? '+' : ''})`;
  update($('secrets'), {rows, truncated, filter}, () => {
    if (!rows.length) {
      return h('p', {class: 'empty'}, filter ? 'No secret matches the filter.'
          : 'No secrets in this account and region yet. Create one with any AWS client.');
    }
    return [h('table', {class: 'secrets'},
      h('thead', {}, h('tr', {},
        ['Name', 'Description', 'Tags', 'Rotation', 'Last rotated', 'Next rotation', 'Deleted']
          .map((c) => h('th', {scope: 'col'}, c)))),
      h('tbody', {}, rows.map((r) => h('tr', {class: r.open ? 'open' : '', 'data-arn': r.arn},
        h('th', {scope: 'row'}, h('button', {
          type: 'button', class: 'link name', 'data-key': `open:${r.arn}`,
          'aria-current': r.open ? 'true' : null, onclick: () => openSecret(r.arn),
        }, r.name)),
        h('td', {class: 'description'}, r.description),
        h('td', {}, r.tags.map((t) => h('span', {class: 'tag'}, t))),
        h('td', {}, h('span', {class: `badge ${r.rotation ? 'on' : 'off'}`}, r.rotation ? 'On' : 'Off')),
        h('td', {}, timeCell(r.last)),
        h('td', {}, timeCell(r.next)),
        h('td', {}, r.deleted ? h('span', {class: 'badge deleted'}, 'Deleted ', timeCell(r.deleted))
                               : h('span', {class: 'muted'}, '—')))))),
      truncated && h('p', {class: 'muted'}, `Showing the first ${PAGE_SIZE * MAX_PAGES} by name.`)];
  });
}

function openSecret(arn) {
  if (state.secretId !== arn) {
    state.secretId = arn;
    state.revealed.clear();
  }
  writeHash();
  drawSecrets();
  refresh().then(() => $('detail-heading')?.focus());
}

// ---- one secret ---------------------------------------------------------------

async function refreshDetail() {
  const id = state.secretId;
  const [secret, versions] = await Promise.all([
    aws('DescribeSecret', {SecretId: id}),
    aws('ListSecretVersionIds', {SecretId: id, IncludeDeprecated: true, MaxResults: 100}),
  ]);
  // Without the admin token the rest of the secret is still worth showing.
  const history = await admin(
    `/_local/rotations?secretId=${encodeURIComponent(secret.ARN)}&limit=${HISTORY_LIMIT}`)
    .catch((error) => {
      if (error.status === 403) return null;
      throw error;
    });
  if (state.secretId !== id) return;  // another secret was opened meanwhile
  state.secretId = secret.ARN;
  drawDetail(secret, versions.Versions, history?.rotations ?? null);
}

const LABEL_ORDER = ['AWSCURRENT', 'AWSPENDING', 'AWSPREVIOUS'];

function labelClass(label) {
  return {AWSCURRENT: 'current', AWSPENDING: 'pending', AWSPREVIOUS: 'previous'}[label] ?? 'custom';
}

function rulesText(rules) {
  if (!rules) return [];
  const out = [];
  if (rules.AutomaticallyAfterDays) out.push(`every ${rules.AutomaticallyAfterDays} days`);
  if (rules.ScheduleExpression) out.push(`schedule ${rules.ScheduleExpression}`);
  if (rules.Duration) out.push(`window ${rules.Duration}`);
  return out;
}

function drawDetail(secret, versions, attempts) {
  $('detail-section').hidden = false;
  const sorted = [...versions].sort((a, b) => (b.CreatedDate ?? 0) - (a.CreatedDate ?? 0));
  const model = {
    name: secret.Name, arn: secret.ARN, description: secret.Description ?? '',
    kms: secret.KmsKeyId ?? '', tags: tagList(secret.Tags),
    created: when(secret.CreatedDate), changed: when(secret.LastChangedDate),
    accessed: when(secret.LastAccessedDate), deleted: when(secret.DeletedDate),
    rotation: {
      enabled: Boolean(secret.RotationEnabled), lambda: secret.RotationLambdaARN ?? '',
      rules: rulesText(secret.RotationRules), last: when(secret.LastRotatedDate),
      next: when(secret.NextRotationDate),
    },
    versions: sorted.map((v) => ({
      id: v.VersionId,
      labels: [...(v.VersionStages ?? [])].sort((a, b) =>
        (LABEL_ORDER.indexOf(a) + 1 || 9) - (LABEL_ORDER.indexOf(b) + 1 || 9) || a.localeCompare(b)),
      created: when(v.CreatedDate), accessed: when(v.LastAccessedDate),
      revealed: state.revealed.get(v.VersionId) ?? null,
    })),
    attempts: attempts && attempts.map((a, i) => ({
      ...a, open: state.openedAttempts.has(a.id) || (i === 0 && !state.closedAttempts.has(a.id)),
      started: a.startedAt, finished: a.finishedAt ?? null,
    })),
  };
  update($('detail'), model, () => [
    h('div', {class: 'detail-head'},
      h('h2', {id: 'detail-heading', tabindex: '-1', 'data-key': 'detail-heading'}, model.name),
      model.deleted && h('span', {class: 'badge deleted'}, 'Scheduled for deletion')),
    h('p', {class: 'arn'}, model.arn),
    h('dl', {class: 'facts'},
      fact('Description', model.description || h('span', {class: 'muted'}, 'none')),
      fact('Tags', model.tags.length ? model.tags.map((t) => h('span', {class: 'tag'}, t))
                                     : h('span', {class: 'muted'}, 'none')),
      fact('KMS key', model.kms || h('span', {class: 'muted'}, 'aws/secretsmanager (default)')),
      fact('Created', timeCell(model.created)),
      fact('Last changed', timeCell(model.changed)),
      fact('Last accessed', timeCell(model.accessed, 'never')),
      model.deleted && fact('Deleted', timeCell(model.deleted))),
    h('h3', {}, 'Versions'),
    versionsTable(model.versions),
    h('div', {class: 'columns'},
      h('div', {},
        h('h3', {}, 'Rotation'),
        h('dl', {class: 'facts'},
          fact('Rotation', h('span', {class: `badge ${model.rotation.enabled ? 'on' : 'off'}`},
                             model.rotation.enabled ? 'On' : 'Off')),
          fact('Handler (Lambda ARN)', model.rotation.lambda
              ? h('code', {}, model.rotation.lambda) : h('span', {class: 'muted'}, 'none')),
          fact('Rules', model.rotation.rules.length ? model.rotation.rules.join(', ')
                                                    : h('span', {class: 'muted'}, 'none')),
          fact('Last rotated', timeCell(model.rotation.last, 'never')),
          fact('Next rotation', timeCell(model.rotation.next)))),
      h('div', {},
        h('h3', {}, 'Rotation history'),
        historyList(model.attempts, false))),
  ]);
}

function fact(term, ...definition) {
  return h('div', {}, h('dt', {}, term), h('dd', {}, definition));
}

function versionsTable(versions) {
  if (!versions.length) return h('p', {class: 'empty'}, 'No versions.');
  return h('table', {class: 'versions'},
    h('thead', {}, h('tr', {}, ['Version', 'Staging labels', 'Created', 'Last accessed', 'Value']
      .map((c) => h('th', {scope: 'col'}, c)))),
    h('tbody', {}, versions.map((v) => h('tr', {'data-version-id': v.id},
      h('th', {scope: 'row'}, h('code', {class: 'version-id'}, v.id)),
      h('td', {class: 'labels'}, v.labels.length
          ? v.labels.map((l) => h('span', {class: `label ${labelClass(l)}`}, l))
          : h('span', {class: 'muted'}, 'deprecated')),
      h('td', {}, timeCell(v.created)),
      h('td', {}, timeCell(v.accessed, 'never')),
      h('td', {class: 'value-cell'}, valueCell(v))))));
}

function valueCell(v) {
  if (!v.revealed) {
    return h('button', {type: 'button', 'data-key': `value:${v.id}`,
                        'aria-label': `Reveal value of version ${v.id}`,
                        onclick: () => reveal(v.id)}, 'Reveal');
  }
  // Same key as Reveal, so focus moves from one to the other.
  const hide = h('button', {type: 'button', 'data-key': `value:${v.id}`,
                            'aria-label': `Hide value of version ${v.id}`,
                            onclick: () => hideValue(v.id)}, 'Hide');
  if (v.revealed.error) return [h('span', {class: 'error'}, v.revealed.error), ' ', hide];
  return [h('pre', {class: 'value', 'aria-label': `Value of version ${v.id}`}, v.revealed.text),
          v.revealed.binary && h('span', {class: 'muted'}, 'binary, shown as base64 '), hide];
}

async function reveal(versionId) {
  try {
    const reply = await aws('GetSecretValue', {SecretId: state.secretId, VersionId: versionId});
    state.revealed.set(versionId, reply.SecretString !== undefined
        ? {text: reply.SecretString} : {text: reply.SecretBinary ?? '', binary: true});
  } catch (error) {
    state.revealed.set(versionId, {error: error.message});
  }
  await refresh();
}

function hideValue(versionId) {
  state.revealed.delete(versionId);
  refresh();
}

// ---- rotation history --------------------------------------------------------

function historyList(attempts, withSecret) {
  if (!attempts) return h('p', {class: 'empty'}, 'The rotation history needs the admin token.');
  if (!attempts.length) return h('p', {class: 'empty'}, 'No rotation has run yet.');
  return h('ol', {class: 'history'}, attempts.map((a) => {
    const details = h('details', {open: a.open, 'data-attempt': a.id},
      h('summary', {'data-key': `attempt:${a.id}`},
        h('span', {class: `badge ${a.outcome}`}, a.outcome),
        ' ', h('span', {class: 'trigger'}, a.trigger),
        withSecret && [' ', h('strong', {}, a.secretName)],
        ' ', h('time', {datetime: a.started}, a.started.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')),
        ' ', h('span', {class: 'muted'}, `${a.steps.length} step${a.steps.length === 1 ? '' : 's'}`)),
      h('p', {class: 'muted token'}, 'Token ', h('code', {}, a.token)),
      a.error && h('p', {class: 'error'}, a.error),
      a.steps.length > 0 && h('table', {class: 'steps'},
        h('thead', {}, h('tr', {}, ['Step', 'Outcome', 'Duration', 'Error', 'Handler output']
          .map((c) => h('th', {scope: 'col'}, c)))),
        h('tbody', {}, a.steps.map((s) => h('tr', {},
          h('th', {scope: 'row'}, s.step),
          h('td', {}, h('span', {class: `badge ${s.outcome}`}, s.outcome)),
          h('td', {class: 'num'}, duration(s.durationMs)),
          h('td', {class: 'error'}, s.error),
          h('td', {}, s.output ? h('pre', {class: 'output'}, s.output) : ''))))));
    details.addEventListener('toggle', () => {
      (details.open ? state.openedAttempts : state.closedAttempts).add(a.id);
      (details.open ? state.closedAttempts : state.openedAttempts).delete(a.id);
    });
    return h('li', {}, details);
  }));
}

// With --auth sigv4 the page holds no keys, so it cannot list secrets; the
// admin history still says what rotated in this account and region.
async function refreshAllHistory() {
  const reply = await admin('/_local/rotations?limit=100');
  const [account, region] = state.scope.split('/');
  const attempts = reply.rotations
    .filter((a) => a.secretArn.split(':')[3] === region && a.secretArn.split(':')[4] === account)
    .map((a, i) => ({
      ...a, started: a.startedAt,
      open: state.openedAttempts.has(a.id) || (i === 0 && !state.closedAttempts.has(a.id)),
    }));
  update($('all-history'), attempts, () => historyList(attempts, true));
}

// ---- handlers ------------------------------------------------------------------

async function refreshHandlers() {
  const reply = await admin('/_local/rotation-handlers');
  const rows = Object.entries(reply.handlers).sort(([a], [b]) => a.localeCompare(b));
  update($('handlers'), rows, () => {
    if (!rows.length) {
      return h('p', {class: 'empty'}, 'None registered. PUT /_local/rotation-handlers/{name} or ' +
                                       'start with --handlers FILE.');
    }
    return h('table', {class: 'handlers'},
      h('thead', {}, h('tr', {}, ['Name (Lambda ARN or function)', 'Type', 'Runs', 'Timeout']
        .map((c) => h('th', {scope: 'col'}, c)))),
      h('tbody', {}, rows.map(([name, handler]) => h('tr', {},
        h('th', {scope: 'row'}, h('code', {}, name)),
        h('td', {}, handler.type),
        h('td', {}, h('code', {}, handler.type === 'exec' ? handler.command.join(' ')
                                  : handler.type === 'lambda' ? handler.url : handler.name)),
        h('td', {class: 'num'}, `${handler.timeoutSeconds} s`)))));
  });
}

// ---- the loop --------------------------------------------------------------------

let refreshing = null;
let again = false;

// One round of fetches; a call during a round runs one more round after it.
function refresh() {
  if (refreshing) {
    again = true;
    return refreshing;
  }
  refreshing = (async () => {
    try {
      do {
        again = false;
        await refreshOnce();
      } while (again);
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

async function refreshOnce() {
  // The clock first: every "in 30 d" below is relative to it.
  const clockFailure = await refreshClock().then(() => null, (error) => error);
  const jobs = [refreshHandlers(), refreshScopes()];
  if (state.auth === 'sigv4') {
    jobs.push(refreshAllHistory());
  } else {
    jobs.push(refreshSecrets());
    if (state.secretId) {
      jobs.push(refreshDetail().catch((error) => {
        if (error.type !== 'ResourceNotFoundException') throw error;
        state.secretId = null;  // purged, or gone with a reset
        $('detail-section').hidden = true;
        writeHash();
      }));
    } else {
      $('detail-section').hidden = true;
    }
  }
  const results = await Promise.allSettled(jobs);
  const failure = clockFailure ?? results.find((r) => r.status === 'rejected')?.reason;
  const problem = $('notices').querySelector('.problem');
  if (failure) {
    const message = failure.status === 403 && state.tokenDeclined
        ? 'Admin data is hidden until you enter the admin token.' : failure.message;
    if (problem) problem.textContent = message;
    else $('notices').append(h('p', {class: 'notice problem', role: 'alert'}, message));
  } else {
    problem?.remove();
  }
}

function tick() {
  const round = state.live && !document.hidden ? refresh() : Promise.resolve();
  round.catch((error) => say(error.message)).finally(() => setTimeout(tick, POLL_MS));
}

async function start() {
  const health = await send('/_local/health');
  state.auth = health.auth ?? 'off';
  state.defaultScope = `${health.defaultAccountId}/${health.defaultRegion}`;
  $('version').textContent = `v${health.version} · ${health.storage}`;
  readHash();
  state.scope ??= state.defaultScope;

  if (state.auth === 'sigv4') {
    $('secrets-section').hidden = true;
    $('all-history-section').hidden = false;
    $('notices').append(h('p', {class: 'notice'},
      h('strong', {}, 'Read-only admin view. '),
      'This server verifies SigV4 signatures (--auth sigv4) and the dashboard holds no AWS ' +
      'keys, so it shows only what the admin endpoints report: the clock, the rotation handlers ' +
      'and the rotation history. Secrets and their values are not listed; the clock is not moved ' +
      'from here.'));
  }

  $('scope').addEventListener('change', () => {
    state.scope = $('scope').value;
    state.secretId = null;
    state.revealed.clear();
    writeHash();
    refresh();
  });
  $('filter').addEventListener('input', () => drawSecrets());
  $('clock-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const amount = $('clock-advance').value.trim();
    if (amount) advanceClock(amount);
  });
  for (const preset of document.querySelectorAll('[data-advance]')) {
    preset.addEventListener('click', () => advanceClock(preset.dataset.advance));
  }
  $('live').addEventListener('click', () => {
    state.live = !state.live;
    $('live').setAttribute('aria-pressed', String(state.live));
    $('live').textContent = state.live ? 'Live' : 'Paused';
    if (state.live) refresh();
  });
  window.addEventListener('hashchange', () => {
    readHash();
    refresh();
  });
  drawTokenState();
  tick();
}

start().catch((error) => say(`The dashboard could not start: ${error.message}`));
