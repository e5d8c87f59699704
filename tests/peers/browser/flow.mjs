// A person's afternoon on Rookery's website, in headless Chromium: sign up, sign in,
// post a picture behind a content warning, see it at home and on the public profile,
// follow someone on another server and see their post arrive without reloading,
// favourite and reply; then a moderator handles a report. Screenshots of the main
// pages at phone and desktop widths go to SCREENSHOTS. Exits non-zero on the first
// thing that is not as it should be.
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const here = env("HERE_URL");
const there = env("THERE_URL");
const bobAcct = env("BOB_ACCT");
const bobToken = env("BOB_TOKEN");
const picture = env("PICTURE");
const shots = env("SCREENSHOTS");
const moderator = { email: env("MODERATOR_EMAIL"), password: env("MODERATOR_PASSWORD") };
const spammer = env("SPAMMER_ACCT");
const person = { username: "newbie", email: "newbie@example.org", password: "a long enough password" };

const browser = await chromium.launch({
  executablePath: env("CHROMIUM"),
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const problems = [];
const watch = (page) => {
  page.on("pageerror", (e) => problems.push(`script error on ${page.url()}: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console on ${page.url()}: ${m.text()}`); });
};
const step = (what) => console.error(`browser: ${what}`);

async function signIn(page, email, password) {
  await page.goto(`${here}/auth/sign_in`);
  await page.fill("#email", email);
  await page.fill("#password", password);
  await page.click("button[type=submit]");
  await page.waitForURL(`${here}/`);
}

try {
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: "light" });
  const page = await desktop.newPage();
  watch(page);

  step("sign up");
  await page.goto(`${here}/auth/sign_up`);
  await page.fill("#username", person.username);
  await page.fill("#email", person.email);
  await page.fill("#password", person.password);
  await page.check("input[name=agreement]");
  await page.click("button[type=submit]");
  await page.getByRole("heading", { name: "Welcome" }).waitFor();
  await page.getByRole("link", { name: "Sign in" }).last().click();
  await page.fill("#email", person.email);
  await page.fill("#password", person.password);
  await page.click("main button[type=submit]");
  await page.waitForURL(`${here}/`);
  await page.getByRole("heading", { name: "Home" }).waitFor();

  step("post a picture with alt text behind a content warning");
  await page.fill("#compose-spoiler", "Garden pics");
  await page.fill("#compose-text", "My garden today #garden");
  await page.setInputFiles("#compose-file", picture);
  await page.fill("#compose-alt", "A red and a blue half");
  await page.click("#compose button[type=submit]");
  await page.waitForURL(`${here}/`);
  const mine = page.locator("article.post", { hasText: "Garden pics" }).first();
  await mine.locator("summary", { hasText: "Garden pics" }).click();
  await mine.getByRole("img", { name: "A red and a blue half" }).waitFor();

  step("the post on the public profile, signed out");
  const visitor = await (await browser.newContext()).newPage();
  watch(visitor);
  await visitor.goto(`${here}/@${person.username}`);
  await visitor.locator("article.post summary", { hasText: "Garden pics" }).waitFor();
  assert.equal(await visitor.locator("meta[property='og:type']").getAttribute("content"), "profile");

  step("find and follow someone on the other server");
  await page.goto(`${here}/search?q=${encodeURIComponent("@" + bobAcct)}`);
  await page.locator(`a[href="/@${bobAcct}"]`).first().click();
  await page.waitForURL(`${here}/@${bobAcct}`);
  await page.getByRole("button", { name: /^(Follow|Request to follow)$/ }).click();
  for (let i = 0; i < 100; i++) {
    await page.goto(`${here}/@${bobAcct}`);
    if (await page.getByRole("button", { name: "Unfollow" }).count()) break;
    await page.waitForTimeout(200);
  }
  await page.getByRole("button", { name: "Unfollow" }).waitFor({ timeout: 1000 });

  step("their new post appears on the home page without a reload");
  await page.goto(`${here}/`);
  const posted = await fetch(`${there}/api/v1/statuses`, {
    method: "POST",
    headers: { authorization: `Bearer ${bobToken}`, "content-type": "application/json" },
    body: JSON.stringify({ status: "Fresh bread at noon" }),
  });
  assert.equal(posted.status, 200, await posted.text());
  const theirs = page.locator("article.post", { hasText: "Fresh bread at noon" });
  await theirs.waitFor({ timeout: 45000 });

  step("favourite it in place, then reply from its page");
  await theirs.getByRole("button", { name: /^Favourite/ }).click();
  await page.locator("article.post", { hasText: "Fresh bread at noon" }).getByRole("button", { name: /^Unfavourite/ }).waitFor();
  assert.equal(page.url(), `${here}/`, "the favourite did not leave the page");
  await page.locator("article.post", { hasText: "Fresh bread at noon" }).getByRole("link", { name: /^Reply/ }).click();
  await page.waitForSelector("#compose-text");
  assert.match(await page.inputValue("#compose-text"), new RegExp(`^@${bobAcct} `));
  await page.fill("#compose-text", `@${bobAcct} Save me one!`);
  await page.click("#compose button[type=submit]");
  await page.locator("article.post", { hasText: "Save me one!" }).waitFor();

  step("screenshots");
  const thread = page.url();
  for (const [name, width, scheme] of [["desktop", 1280, "light"], ["phone", 390, "dark"]]) {
    const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
    const shot = await context.newPage();
    watch(shot);
    await signIn(shot, person.email, person.password);
    for (const [file, path] of [["home", "/"], ["profile", `/@${person.username}`], ["thread", new URL(thread).pathname],
      ["notifications", "/notifications"], ["settings", "/settings/profile"], ["search", `/search?q=garden`]]) {
      await shot.goto(`${here}${path}`);
      await shot.screenshot({ path: `${shots}/${file}-${name}.png`, fullPage: true });
    }
    await context.close();
  }

  step("a moderator handles a report");
  const mod = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  watch(mod);
  await signIn(mod, moderator.email, moderator.password);
  await mod.goto(`${here}/admin/reports`);
  await mod.locator("table a[href^='/admin/reports/']").first().click();
  await mod.screenshot({ path: `${shots}/report-desktop.png`, fullPage: true });
  await mod.getByRole("link", { name: `Act on @${spammer}` }).click();
  await mod.getByRole("button", { name: "Limit" }).click();
  await mod.getByRole("button", { name: "Undo limit" }).waitFor();
  await mod.goto(`${here}/admin/reports`);
  await mod.getByText("No open reports.").waitFor();

  assert.deepEqual(problems, [], "no script errors or failed loads");
  console.log("ok");
} catch (e) {
  console.error(e);
  if (problems.length) console.error(problems.join("\n"));
  process.exitCode = 1;
} finally {
  await browser.close();
}
