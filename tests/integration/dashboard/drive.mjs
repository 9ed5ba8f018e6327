// Drives the dashboard in Debian's chromium through playwright-core, for
// test_dashboard.py: `node drive.mjs <scenario>` reads the scenario's input
// as JSON on stdin, acts as a person would (keyboard where a person could),
// asserts what the page shows, and prints what it observed as JSON on stdout
// for the Python side to check against boto3. Any failure exits non-zero with
// the reason (and a screenshot next to the requested one).
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {chromium} from 'playwright-core';

const TIMEOUT_MS = 20000;

async function readInput() {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return JSON.parse(text);
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

// Opens a fresh browser profile; every request must go to the server itself.
async function openBrowser(input) {
  const profile = mkdtempSync(join(tmpdir(), 'sml-dashboard-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: {width: 1440, height: 900},
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  const problems = [];
  const origin = new URL(input.url).origin;
  context.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin + '/') && !url.startsWith('data:')) problems.push(`request to ${url}`);
  });
  const page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // A CSP violation or a script error shows up here; a refused admin call
    // (the token scenario) is the browser logging a 403 and expected there.
    if (message.type() === 'error' && !(input.allow403 && message.text().includes('403'))) {
      problems.push(`console error: ${message.text()}`);
    }
  });
  const close = async () => {
    await context.close();
    rmSync(profile, {recursive: true, force: true});
  };
  return {page, problems, close};
}

// The staging labels the versions table shows, by version id.
function labelsByVersion(page) {
  return page.$$eval('table.versions tbody tr', (rows) => Object.fromEntries(rows.map((row) => [
    row.dataset.versionId,
    [...row.querySelectorAll('.labels .label')].map((el) => el.textContent),
  ])));
}

async function rotationScenario(page, input) {
  await page.goto(input.url);
  check(await page.title() === 'secretsmanager-local', 'the page title names the server');

  // Every secret of the default account and region is listed.
  for (const name of input.names) {
    await page.locator('table.secrets tbody tr', {hasText: name}).first().waitFor();
  }
  const deleted = page.locator('table.secrets tbody tr', {hasText: input.deletedName});
  await deleted.locator('.badge.deleted').waitFor();
  const row = page.locator(`table.secrets tbody tr[data-arn="${input.arn}"]`);
  check((await row.textContent()).includes(input.description), 'the description is listed');
  check((await row.textContent()).includes('team=payments'), 'the tags are listed');
  check(!(await page.content()).includes(input.marker), 'no value is on the page before a click');

  // Another account and region is one choice away.
  await page.selectOption('#scope', input.otherScope);
  await page.locator('table.secrets tbody tr', {hasText: input.otherName}).waitFor();
  check(await page.locator('table.secrets tbody tr', {hasText: input.names[0]}).count() === 0,
        'the other scope lists only its own secrets');
  await page.selectOption('#scope', input.scope);
  await row.waitFor();

  // Open the secret with the keyboard.
  await row.getByRole('button', {name: input.name}).focus();
  await page.keyboard.press('Enter');
  await page.locator('#detail-heading', {hasText: input.name}).waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'detail-heading');
  await page.waitForFunction((id) => {
    const row = document.querySelector(`table.versions tr[data-version-id="${id}"]`);
    return row && row.textContent.includes('AWSCURRENT');
  }, input.versionId);
  const detail = await page.locator('#detail').textContent();
  check(detail.includes('every 30 days'), 'the rotation rules are shown');
  check(detail.includes(input.lambdaArn), 'the rotation handler ARN is shown');
  check(!detail.includes(input.marker), 'the value stays hidden');

  // Reveal the value with Space on the focused button.
  await page.getByRole('button', {name: `Reveal value of version ${input.versionId}`}).focus();
  await page.keyboard.press('Space');
  const shown = page.getByLabel(`Value of version ${input.versionId}`, {exact: true});
  await shown.waitFor();
  check(await shown.textContent() === input.value, 'the revealed value is the stored one');
  check(await page.evaluate(() => document.activeElement?.textContent) === 'Hide',
        'focus moves to the Hide button');

  // The registered handlers are listed.
  await page.locator('#handlers tr', {hasText: input.handlerName}).waitFor();

  // Advance the clock past NextRotationDate from the clock form (Enter).
  const clockBefore = await page.locator('#clock-now').textContent();
  await page.fill('#clock-advance', '31d');
  await page.press('#clock-advance', 'Enter');
  await page.locator('#status', {hasText: 'Clock advanced by 31d'}).waitFor();
  check(await page.locator('#clock-now').textContent() !== clockBefore, 'the clock moved');

  // The scheduled rotation ran: the history shows it, the labels moved.
  const attempt = page.locator('#detail .history li', {hasText: 'scheduled'}).first();
  await attempt.locator('.badge.succeeded').first().waitFor();
  await page.waitForFunction((id) => {
    const row = document.querySelector(`table.versions tr[data-version-id="${id}"]`);
    return row && row.textContent.includes('AWSPREVIOUS') && !row.textContent.includes('AWSCURRENT');
  }, input.versionId);
  const labels = await labelsByVersion(page);
  const current = Object.keys(labels).filter((id) => labels[id].includes('AWSCURRENT'));
  check(current.length === 1 && current[0] !== input.versionId,
        `exactly one new version is AWSCURRENT: ${JSON.stringify(labels)}`);
  const steps = await attempt.locator('table.steps tbody tr').evaluateAll((rows) =>
    rows.map((r) => [...r.children].map((c) => c.textContent.trim())));
  // The earlier reveal stays shown beside the version that is now AWSPREVIOUS.
  check(await shown.textContent() === input.value, 'the revealed value survives the refresh');
  // The secret whose 7-day recovery window passed was purged, and left the list.
  await page.waitForFunction((name) => ![...document.querySelectorAll('table.secrets tbody tr')]
    .some((row) => row.textContent.includes(name)), input.deletedName);

  await page.screenshot({path: input.screenshot, fullPage: true});
  return {labels, current: current[0], steps};
}

async function tokenScenario(page, input) {
  await page.goto(input.url);
  const dialog = page.locator('#token-dialog');
  await dialog.getByRole('textbox', {name: 'Token'}).waitFor();
  check(await dialog.evaluate((d) => d.open), 'the page asks for the admin token');
  check(await page.evaluate(() => document.activeElement?.id) === 'token-input',
        'the token field has focus');
  await page.screenshot({path: input.screenshot.replace(/\.png$/, '-dialog.png')});

  await page.keyboard.type('not-the-token');
  await page.keyboard.press('Enter');
  await dialog.locator('#token-error', {hasText: 'refused'}).waitFor();
  await page.fill('#token-input', input.token);
  await page.keyboard.press('Enter');
  await page.locator('#handlers tr', {hasText: input.handlerName}).waitFor();
  check(!(await dialog.evaluate((d) => d.open)), 'the dialog closes with the right token');
  await page.screenshot({path: input.screenshot, fullPage: true});

  // Asked once: a reload in the same tab keeps the token.
  await page.reload();
  await page.locator('#handlers tr', {hasText: input.handlerName}).waitFor();
  check(!(await dialog.evaluate((d) => d.open)), 'a reload does not ask again');
  return {asked: true};
}

async function sigv4Scenario(page, input) {
  await page.goto(input.url);
  await page.locator('.notice', {hasText: 'Read-only admin view'}).waitFor();
  await page.locator('#handlers tr', {hasText: input.handlerName}).waitFor();
  await page.locator('#clock-now', {hasText: 'UTC'}).waitFor();
  const attempt = page.locator('#all-history .history li', {hasText: input.rotatedName});
  await attempt.locator('.badge.succeeded').first().waitFor();
  check((await attempt.locator('table.steps tbody tr').count()) === 4, 'every step is listed');
  check(await page.locator('#secrets-section').isHidden(), 'no secret list without keys');
  check(await page.locator('#clock-form').isHidden(), 'the clock is read-only');
  await page.screenshot({path: input.screenshot, fullPage: true});
  return {readOnly: true};
}

const scenarios = {rotation: rotationScenario, token: tokenScenario, sigv4: sigv4Scenario};

async function main() {
  const scenario = scenarios[process.argv[2]];
  if (!scenario) throw new Error(`usage: node drive.mjs ${Object.keys(scenarios).join('|')}`);
  const input = await readInput();
  const {page, problems, close} = await openBrowser(input);
  try {
    const observed = await scenario(page, input);
    check(problems.length === 0, `the page misbehaved:\n${problems.join('\n')}`);
    process.stdout.write(JSON.stringify(observed));
  } catch (error) {
    await page.screenshot({path: input.screenshot.replace(/\.png$/, '-failure.png'), fullPage: true})
      .catch(() => {});
    throw error;
  } finally {
    await close();
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
