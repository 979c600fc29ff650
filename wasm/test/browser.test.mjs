// The web build in headless Chromium (Debian's package, driven by playwright-core): a small
// login page resolves an email to its org and shows the org's branding. Files are served over
// loopback; the test is skipped when no Chromium is installed (CI installs it).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { chromium } from "playwright-core";

const executable = process.env.CHROMIUM ?? "/usr/bin/chromium";
const root = new URL("..", import.meta.url).pathname; // the package folder
const types = { ".html": "text/html", ".js": "text/javascript", ".json": "application/json", ".wasm": "application/wasm" };

const server = createServer(async (req, res) => {
  const path = normalize(join(root, decodeURIComponent(new URL(req.url, "http://x").pathname)));
  if (!path.startsWith(root)) return res.writeHead(403).end();
  try {
    const body = await readFile(path);
    res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
after(() => server.close());

test("a login page routes an email and shows the org's branding", { skip: !existsSync(executable) && "no Chromium" }, async () => {
  const browser = await chromium.launch({ executablePath: executable, args: ["--no-sandbox"] });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${server.address().port}/test/browser/index.html`);
    await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
    await page.fill("#email", "Ann@ACME.com");
    await page.click("#next");
    await page.waitForSelector("#result[data-decision]");
    assert.equal(await page.getAttribute("#result", "data-decision"), "sso");
    assert.equal(await page.textContent("#result"), "Redirecting to Acme (saml)");
    assert.equal(await page.textContent("#title"), "Acme employees");
    assert.equal(await page.$eval("#brand", (el) => el.style.background), "rgb(255, 102, 0)");
    await page.fill("#email", "not-an-email");
    await page.click("#next");
    await page.waitForFunction(() => document.querySelector("#result").dataset.decision !== "sso");
    assert.equal(await page.getAttribute("#result", "data-decision"), "invalid_email");
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
