// What both floor pages share: the session (tokens kept in memory only), the REST API, the live
// connection with its catch-up, and small DOM helpers.
import { Socket } from "./socket.js";

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function request(method, path, body, token) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let json = null;
  try {
    json = await response.json();
  } catch {
    json = null;
  }
  if (!response.ok || !json || json.success === false) {
    throw new ApiError(response.status, (json && json.message) || `HTTP ${response.status}`);
  }
  return json;
}

/** Who is signed in. The tokens live in this object only (never in storage): a reload signs out. */
export class Session {
  constructor() {
    this.access = null;
    this.refresh = null;
    this.user = null;
    this.renewing = null;
    this.signedOut = () => {};
  }

  take(data) {
    this.access = data.access_token;
    this.refresh = data.refresh_token;
    if (data.user) this.user = data.user;
  }

  async signIn(email, password) {
    this.take((await request("POST", "/api/auth/login", { email, password })).data);
    return this.user;
  }

  /** A new access token from the refresh token (one request however many callers ask). Only
   * a refused refresh token signs out: an outage (503, no network) leaves the session as it is. */
  renew() {
    if (!this.renewing) {
      this.renewing = request("POST", "/api/auth/refresh", { refresh_token: this.refresh })
        .then((body) => this.take(body.data))
        .catch((error) => {
          if (error instanceof ApiError && (error.status === 401 || error.status === 403)) this.signOut();
          throw error;
        })
        .finally(() => {
          this.renewing = null;
        });
    }
    return this.renewing;
  }

  signOut() {
    this.access = this.refresh = this.user = null;
    this.signedOut();
  }

  /** A REST call with the access token, renewed once when it has expired. */
  async api(method, path, body) {
    try {
      return await request(method, path, body, this.access);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401 || !this.refresh) throw error;
      await this.renew();
      return request(method, path, body, this.access);
    }
  }
}

/**
 * The page's events: `load()` reads the page's state over REST and answers the event seq it stands
 * at; the socket then connects with that `last_seq`, so the server replays exactly what the state
 * lacks, and again after every drop. Each seq is applied once: `seq` is the mark below which all
 * are applied, `ahead` the seqs applied above it (commits close together can arrive out of
 * order). A gap that stays open GAP_MS reconnects from the mark, and the replay fills it. Events
 * that arrive while a (re)load runs are held and applied after it. A `resync` (the missed events
 * are no longer kept) reloads.
 */
const GAP_MS = 2000;

export class Live {
  constructor(session, load) {
    this.session = session;
    this.load = load;
    this.seq = null;
    this.ahead = new Set();
    this.gap = null;
    this.handlers = new Map();
    this.held = null;
    this.reloading = null;
    this.again = false;
    this.socket = new Socket(location.origin, () => ({ token: session.access, last_seq: this.seq }));
    this.socket.on("connect_error", () => {
      this.session.renew().catch(() => this.socket.close());
    });
    this.socket.on("resync", () => this.reload().catch((error) => console.error("reload failed", error)));
    // Every event moves the mark, those the page ignores too: each seq of the entity comes once.
    this.socket.on("event", ({ name, payload }) => this.deliver(name, payload));
  }

  on(name, fn) {
    if (!this.handlers.has(name)) this.handlers.set(name, []);
    this.handlers.get(name).push(fn);
    return this;
  }

  deliver(name, payload) {
    if (this.held) {
      this.held.push([name, payload]);
      return;
    }
    const seq = payload && payload.seq;
    if (Number.isInteger(seq) && this.seq !== null) {
      if (seq <= this.seq || this.ahead.has(seq)) return;
      this.ahead.add(seq);
      while (this.ahead.delete(this.seq + 1)) this.seq += 1;
      this.watchGap();
    }
    for (const fn of this.handlers.get(name) || []) fn(payload);
  }

  watchGap() {
    if (this.ahead.size === 0) {
      clearTimeout(this.gap);
      this.gap = null;
    } else if (this.gap === null) {
      this.gap = setTimeout(() => {
        this.gap = null;
        if (this.ahead.size) this.socket.drop(); // reconnects with last_seq = the mark
      }, GAP_MS);
    }
  }

  /** Load the state again; one load at a time (a reload asked for meanwhile loads once more). */
  reload() {
    if (this.reloading) {
      this.again = true;
      return this.reloading;
    }
    this.held = this.held || [];
    this.reloading = (async () => {
      try {
        do {
          this.again = false;
          this.seq = await this.load();
          this.ahead.clear(); // applied to the state the load replaced
        } while (this.again);
        this.watchGap();
      } finally {
        const held = this.held || [];
        this.held = null;
        this.reloading = null;
        for (const [name, payload] of held) this.deliver(name, payload);
      }
    })();
    return this.reloading;
  }

  async start() {
    await this.reload();
    this.socket.open();
  }

  stop() {
    clearTimeout(this.gap);
    this.socket.close();
  }
}

// ---- DOM helpers -------------------------------------------------------------------------

export const $ = (selector, root = document) => root.querySelector(selector);

/** An element with attributes and children (strings become text: nothing is parsed as HTML). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "style") Object.assign(node.style, value); // CSSOM: allowed by the page's CSP
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function leadName(lead) {
  if (!lead) return "a lead";
  const name = lead.full_name || [lead.first_name, lead.last_name].filter(Boolean).join(" ");
  return name || lead.email || `Lead #${lead.id}`;
}

export function personName(user) {
  if (!user) return "nobody";
  return [user.first_name, user.last_name].filter(Boolean).join(" ") || `User #${user.id || user.user_id}`;
}

export function label(status) {
  return status ? status.charAt(0).toUpperCase() + status.slice(1).replaceAll("_", " ") : "";
}

export function clock(iso) {
  const when = iso ? new Date(iso) : new Date();
  return when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

/** "45 min" / "3 h" / "2 d" from hours (either sign). */
export function duration(hours) {
  const n = Math.abs(hours);
  return n < 1 ? `${Math.max(1, Math.round(n * 60))} min` : n < 48 ? `${Math.round(n)} h` : `${Math.round(n / 24)} d`;
}

/** "in 3 h" / "2 h ago" from hours (positive: in the future). */
export function hoursText(hours) {
  return hours >= 0 ? `in ${duration(hours)}` : `${duration(hours)} ago`;
}

/** Wire the sign-in form; `started(session)` runs once signed in, `stopped()` once signed out
 * (the page's live connection ends with its session). */
export function signInFlow(session, started, stopped) {
  const form = $("#signin");
  const error = $("#signin-error");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const data = new FormData(form);
    try {
      await session.signIn(String(data.get("email")), String(data.get("password")));
    } catch (failure) {
      error.textContent = failure.message;
      return;
    }
    form.reset();
    document.body.classList.add("signed-in");
    await started(session);
  });
  session.signedOut = () => {
    document.body.classList.remove("signed-in");
    stopped();
  };
}

/** Show the connection's state in `#state` (and on <body> for styling). */
export function showState(live) {
  const badge = $("#state");
  const names = { connecting: "Connecting…", connected: "Live", reconnecting: "Reconnecting…", closed: "Offline" };
  live.socket.on("state", (state) => {
    badge.textContent = names[state] || state;
    badge.dataset.state = state;
    document.body.dataset.connection = state;
  });
}
