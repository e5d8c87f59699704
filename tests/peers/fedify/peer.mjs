// An independent ActivityPub peer for Rookery's federation tests, built on
// Fedify. See README.md for the environment variables and the control API.
import { createServer } from "node:http";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import {
  createFederation, exportJwk, generateCryptoKeyPair, importJwk, MemoryKvStore,
} from "@fedify/fedify";
import {
  Accept, Activity, Announce, Create, Delete, Endpoints, Follow, isActor, Like,
  Mention, Note, Person, PUBLIC_COLLECTION, Reject, Tombstone, Undo, Update,
} from "@fedify/vocab";
import { configure, getConsoleSink } from "@logtape/logtape";
import { Temporal } from "@js-temporal/polyfill";

const LISTEN = process.env.PEER_LISTEN ?? "127.0.0.1:8400";
const FIRST_KNOCK = process.env.PEER_FIRST_KNOCK ?? "rfc9421";
const KEY_FILE = process.env.PEER_KEY_FILE ?? "peer.key.json";
const ORIGIN = `http://${LISTEN}`;
const ME = "peer";

// Fedify reports signature and delivery failures only through LogTape.
await configure({
  sinks: { stderr: getConsoleSink({ console: { ...console, log: console.error, info: console.error, debug: console.error } }) },
  loggers: [
    { category: "fedify", sinks: ["stderr"], lowestLevel: process.env.PEER_LOG_LEVEL ?? "warning" },
    { category: ["logtape", "meta"], sinks: [], lowestLevel: "warning" },
  ],
});
const log = (...args) => console.error(`[peer ${LISTEN}]`, ...args);
class HttpError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

// Keys persist so the peers under test can keep the public key they cached.
// RSA signs HTTP requests and Linked Data signatures; Ed25519 makes FEP-8b32 proofs.
async function loadKeys() {
  if (existsSync(KEY_FILE)) {
    const saved = JSON.parse(readFileSync(KEY_FILE, "utf8"));
    return Promise.all(saved.map(async (k) => ({
      privateKey: await importJwk(k.privateKey, "private"),
      publicKey: await importJwk(k.publicKey, "public"),
    })));
  }
  // generateCryptoKeyPair makes 4096-bit RSA keys; 2048 is what most servers use.
  const rsa = await crypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["sign", "verify"]);
  const pairs = [rsa, await generateCryptoKeyPair("Ed25519")];
  const saved = await Promise.all(pairs.map(async (p) => ({
    privateKey: await exportJwk(p.privateKey), publicKey: await exportJwk(p.publicKey),
  })));
  writeFileSync(KEY_FILE, JSON.stringify(saved), { mode: 0o600 });
  return pairs;
}
const keyPairs = await loadKeys();

// In-memory state, all inspected through /control/.
const received = [];                 // every inbound activity, in arrival order
const sent = [];                     // every outbound activity with its delivery outcome
const followers = new Map();         // actor id -> Recipient
const following = new Map();         // actor id -> { actor, accepted, followId }
const objects = new Map();           // id -> Note or activity this peer authored
const recipientsOf = new Map();      // activity or note id -> Recipient[] it went to

// No queue: sendActivity delivers before it resolves, and inbox listeners run
// before the inbox answers, so control calls report real delivery outcomes.
const federation = createFederation({
  kv: new MemoryKvStore(),
  origin: ORIGIN,
  allowPrivateAddress: true,
  firstKnock: FIRST_KNOCK,
});

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== ME) return null;
    const keys = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: "Fedify test peer",
      url: ctx.getActorUri(identifier),
      inbox: ctx.getInboxUri(identifier),
      outbox: ctx.getOutboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      followers: ctx.getFollowersUri(identifier),
      following: ctx.getFollowingUri(identifier),
      manuallyApprovesFollowers: false,
      publicKey: keys[0].cryptographicKey,
      assertionMethods: keys.map((k) => k.multikey),
    });
  })
  .setKeyPairsDispatcher((_ctx, identifier) => (identifier === ME ? keyPairs : []));

federation.setFollowersDispatcher("/users/{identifier}/followers", (_ctx, identifier) =>
  identifier === ME ? { items: [...followers.values()] } : null);
federation.setFollowingDispatcher("/users/{identifier}/following", (_ctx, identifier) =>
  identifier === ME ? { items: [...following.values()].filter((f) => f.accepted).map((f) => new URL(f.actor)) } : null);
federation.setOutboxDispatcher("/users/{identifier}/outbox", (_ctx, identifier) =>
  identifier === ME ? { items: [...objects.values()].filter((o) => o instanceof Create).reverse() } : null);

// Everything this peer authors is fetchable at its id, so remote servers can
// dereference replies, likes and follows the way real servers do.
const kinds = [[Note, "notes"], [Create, "creates"], [Follow, "follows"], [Accept, "accepts"],
  [Like, "likes"], [Announce, "announces"], [Undo, "undos"], [Delete, "deletes"]];
for (const [cls, prefix] of kinds) {
  federation.setObjectDispatcher(cls, `/${prefix}/{id}`, (ctx, values) => {
    const o = objects.get(ctx.getObjectUri(cls, values).href);
    return o instanceof cls ? o : null;
  });
}

const newId = (ctx, cls, id = randomUUID()) => ctx.getObjectUri(cls, { id });
const keep = (o) => (objects.set(o.id.href, o), o);

// Records, logs and delivers one activity; throws if any inbox refused it.
async function send(ctx, activity, recipients, opts = {}) {
  const entry = { type: activity.constructor.name, id: activity.id.href,
    to: recipients.map((r) => r.id.href), ok: null, error: null };
  sent.push(entry);
  recipientsOf.set(activity.id.href, recipients);
  log(`-> ${entry.type} ${entry.id} to ${entry.to.join(", ")}`);
  try {
    await ctx.sendActivity({ identifier: ME }, recipients, activity, { preferSharedInbox: !!opts.sharedInbox });
    entry.ok = true;
  } catch (e) {
    entry.ok = false;
    entry.error = String(e?.message ?? e);
    log(`!! ${entry.type} ${entry.id} failed: ${entry.error}`);
    throw e;
  }
}

async function lookupActor(ctx, id) {
  const documentLoader = await ctx.getDocumentLoader({ identifier: ME });
  const actor = await ctx.lookupObject(id, { documentLoader });
  if (!isActor(actor)) throw new HttpError(502, `could not look up actor ${id}`);
  return actor;
}

async function record(ctx, activity) {
  const json = await activity.toJsonLd({ contextLoader: ctx.contextLoader });
  const type = Array.isArray(json.type) ? json.type[0] : json.type;
  received.push({ type, id: activity.id?.href ?? null, actor: activity.actorId?.href ?? null,
    object: json.object ?? null, json });
  log(`<- ${type} ${activity.id?.href} from ${activity.actorId?.href}`);
}

const inbox = federation.setInboxListeners("/users/{identifier}/inbox", "/inbox");
inbox.on(Follow, async (ctx, follow) => {
  await record(ctx, follow);
  if (follow.objectId?.href !== ctx.getActorUri(ME).href || follow.actorId == null) return;
  const follower = await lookupActor(ctx, follow.actorId.href);
  followers.set(follower.id.href, follower);
  const accept = keep(new Accept({ id: newId(ctx, Accept), actor: ctx.getActorUri(ME),
    object: follow, to: follower.id }));
  // Answered after the inbox replies, as real servers do, so the follower
  // never waits on its own inbox while delivering the Follow.
  setImmediate(() => send(ctx, accept, [follower]).catch(() => {}));
});
inbox.on(Accept, async (ctx, accept) => {
  await record(ctx, accept);
  const f = [...following.values()].find((f) => f.followId === accept.objectId?.href)
    ?? following.get(accept.actorId?.href);
  if (f) f.accepted = true;
});
inbox.on(Reject, async (ctx, reject) => {
  await record(ctx, reject);
  following.delete(reject.actorId?.href);
});
inbox.on(Undo, async (ctx, undo) => {
  await record(ctx, undo);
  const inner = received.find((r) => r.id === undo.objectId?.href);
  if (inner?.type === "Follow" || (await undo.getObject().catch(() => null)) instanceof Follow) {
    followers.delete(undo.actorId?.href);
  }
});
for (const cls of [Create, Update, Delete, Like, Announce, Activity]) inbox.on(cls, record);
inbox.onError((_ctx, error) => log("inbox error:", error));

// Control API: plain JSON, driven by the Rust tests.
const control = {
  "GET /control/received": () => received,
  "GET /control/sent": () => sent,
  "GET /control/followers": () => [...followers.keys()],
  "GET /control/following": () => [...following.values()].map(({ actor, accepted }) => ({ actor, accepted })),

  "POST /control/follow": async (ctx, body) => {
    const actor = await lookupActor(ctx, body.actor);
    const follow = keep(new Follow({ id: newId(ctx, Follow), actor: ctx.getActorUri(ME),
      object: actor.id, to: actor.id }));
    following.set(actor.id.href, { actor: actor.id.href, accepted: false, followId: follow.id.href });
    await send(ctx, follow, [actor], body).catch((e) => { following.delete(actor.id.href); throw e; });
    return { id: follow.id.href };
  },

  "POST /control/unfollow": async (ctx, body) => {
    const f = following.get(body.actor);
    if (!f) throw new HttpError(404, `not following ${body.actor}`);
    following.delete(body.actor);
    return undoOf(ctx, f.followId, body);
  },

  "POST /control/note": async (ctx, body) => {
    const to = await Promise.all((body.to ?? []).map((a) => lookupActor(ctx, a)));
    const mentioned = await Promise.all((body.mentions ?? []).map((a) => lookupActor(ctx, a)));
    const direct = [...new Map([...to, ...mentioned].map((a) => [a.id.href, a])).values()];
    const followersUri = ctx.getFollowersUri(ME);
    const tos = body.public ? [PUBLIC_COLLECTION] : direct.map((a) => a.id);
    const ccs = body.public ? [followersUri, ...direct.map((a) => a.id)] : [];
    const key = randomUUID();
    const uri = newId(ctx, Note, key);
    const note = keep(new Note({
      id: uri, attribution: ctx.getActorUri(ME), content: body.content ?? "",
      url: uri, published: Temporal.Now.instant(), tos, ccs,
      replyTarget: body.inReplyTo ? new URL(body.inReplyTo) : null,
      tags: mentioned.map((a) => new Mention({
        href: a.id, name: `@${a.preferredUsername}@${a.id.host}`,
      })),
    }));
    const create = keep(new Create({ id: newId(ctx, Create, key), actor: ctx.getActorUri(ME),
      object: note, tos, ccs, published: note.published }));
    const recipients = body.public ? withFollowers(direct) : direct;
    recipientsOf.set(uri.href, recipients);
    await send(ctx, create, recipients, body);
    return { id: uri.href, activity: create.id.href };
  },

  "POST /control/like": async (ctx, body) => {
    const author = await lookupActor(ctx, body.to);
    const like = keep(new Like({ id: newId(ctx, Like), actor: ctx.getActorUri(ME),
      object: new URL(body.object), to: author.id }));
    await send(ctx, like, [author], body);
    return { id: like.id.href };
  },

  "POST /control/announce": async (ctx, body) => {
    const author = await lookupActor(ctx, body.to);
    const announce = keep(new Announce({ id: newId(ctx, Announce), actor: ctx.getActorUri(ME),
      object: new URL(body.object), to: PUBLIC_COLLECTION, ccs: [author.id, ctx.getFollowersUri(ME)],
      published: Temporal.Now.instant() }));
    await send(ctx, announce, withFollowers([author]), body);
    return { id: announce.id.href };
  },

  "POST /control/undo": async (ctx, body) => undoOf(ctx, body.activity, body),

  "POST /control/delete": async (ctx, body) => {
    const note = objects.get(body.note);
    if (!(note instanceof Note)) throw new HttpError(404, `no note ${body.note}`);
    // Gone from its id (and its Create's) from now on, as after a real deletion.
    objects.delete(body.note);
    objects.delete(newId(ctx, Create, body.note.split("/").pop()).href);
    const del = keep(new Delete({ id: newId(ctx, Delete), actor: ctx.getActorUri(ME),
      tos: note.toIds, ccs: note.ccIds,
      object: new Tombstone({ id: note.id, deleted: Temporal.Now.instant() }) }));
    await send(ctx, del, recipientsOf.get(body.note), body);
    return { id: del.id.href };
  },
};

function withFollowers(actors) {
  const all = new Map([...followers].concat(actors.map((a) => [a.id.href, a])));
  return [...all.values()];
}

async function undoOf(ctx, activityId, opts) {
  const original = objects.get(activityId);
  const recipients = recipientsOf.get(activityId);
  if (!original || !recipients) throw new HttpError(404, `no sent activity ${activityId}`);
  if (original instanceof Follow) following.delete(original.objectId?.href);
  const undo = keep(new Undo({ id: newId(ctx, Undo), actor: ctx.getActorUri(ME), object: original,
    tos: original.toIds, ccs: original.ccIds }));
  await send(ctx, undo, recipients, opts);
  return { id: undo.id.href };
}

// Plain node:http in front of federation.fetch, so no web framework is needed.
const server = createServer(async (req, res) => {
  try {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url, `http://${req.headers.host ?? LISTEN}`);
    const route = control[`${req.method} ${url.pathname}`];
    if (route) {
      let status = 200, out;
      try {
        const ctx = federation.createContext(new URL(ORIGIN), undefined);
        out = await route(ctx, body.length ? JSON.parse(body) : {});
      } catch (e) {
        status = e instanceof HttpError ? e.status : e instanceof SyntaxError ? 400 : 502;
        out = { error: String(e?.message ?? e) };
      }
      res.writeHead(status, { "Content-Type": "application/json" });
      return res.end(JSON.stringify(out));
    }
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
    const request = new Request(url, { method: req.method, headers,
      body: ["GET", "HEAD"].includes(req.method) ? undefined : body });
    const response = await federation.fetch(request, { contextData: undefined });
    res.writeHead(response.status, [...response.headers].flat());
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (e) {
    log("request failed:", e);
    if (!res.headersSent) res.writeHead(500);
    res.end(String(e));
  }
});

const colon = LISTEN.lastIndexOf(":");
server.listen(Number(LISTEN.slice(colon + 1)), LISTEN.slice(0, colon), () => console.log(`ready ${ORIGIN}`));
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(0));
