// The sales-floor screen: counters per status, the live feed, alerts, who is online, the funnel
// and arrivals per hour — loaded over REST, then moved by Socket.IO events.
import { $, Live, Session, clock, el, label, leadName, personName, showState, signInFlow } from "./app.js";

const FEED_MAX = 40;
const ALERTS_MAX = 20;

// statuses: the pipeline's, in its order, as the counts endpoint lists them
const state = { statuses: [], counts: {}, online: new Map(), funnel: null, hours: [] };
const session = new Session();
let live = null;
let dirty = new Set();

/** Render what changed once per frame, however many events arrived in it. */
function touch(...parts) {
  if (dirty.size === 0) requestAnimationFrame(flush);
  for (const part of parts) dirty.add(part);
}

function flush() {
  const parts = dirty;
  dirty = new Set();
  if (parts.has("counts")) renderCounts();
  if (parts.has("online")) renderOnline();
  if (parts.has("funnel")) renderFunnel();
  if (parts.has("hours")) renderHours();
}

function renderCounts() {
  const tiles = $("#counts");
  if (tiles.children.length !== state.statuses.length) {
    tiles.replaceChildren(
      ...state.statuses.map((s) =>
        el("div", { class: `tile status-${s}`, "data-status": s }, el("span", { class: "name" }, label(s)), el("span", { class: "count" }, "0")),
      ),
    );
  }
  const total = state.statuses.reduce((sum, s) => sum + (state.counts[s] || 0), 0);
  $("#total").textContent = total.toLocaleString();
  for (const status of state.statuses) {
    $(`#counts [data-status="${status}"] .count`).textContent = (state.counts[status] || 0).toLocaleString();
  }
}

function renderOnline() {
  const list = $("#online");
  const people = [...state.online.values()].sort((a, b) => personName(a).localeCompare(personName(b)));
  list.replaceChildren(
    ...people.map((p) => el("li", { "data-user-id": p.user_id }, personName(p), el("small", {}, ` ${label(p.role)}`))),
  );
  $("#online-count").textContent = String(people.length);
}

function bars(container, rows, max) {
  container.replaceChildren(
    ...rows.map(({ name, value, title }) =>
      el(
        "div",
        { class: "bar", title },
        el("span", { class: "bar-label" }, name),
        el("span", { class: "bar-track" }, el("span", { class: "bar-fill", style: { width: `${max ? (100 * value) / max : 0}%` } })),
        el("span", { class: "bar-value" }, value.toLocaleString()),
      ),
    ),
  );
}

function renderFunnel() {
  const funnel = state.funnel;
  if (!funnel) return;
  const rows = funnel.stages.map((s) => ({ name: label(s.stage), value: s.count, title: `${s.percentage}%` }));
  rows.push({ name: "Lost", value: funnel.lost.count, title: `${funnel.lost.percentage}%` });
  bars($("#funnel"), rows, Math.max(1, ...rows.map((r) => r.value)));
}

/** When a chart hour (UTC's) begins on this screen: 14:30 in Kolkata, 14:45 in Chatham. */
function hourStart(iso) {
  const when = new Date(iso);
  return `${when.getHours()}:${String(when.getMinutes()).padStart(2, "0")}`;
}

function renderHours() {
  const chart = $("#hours");
  const max = Math.max(1, ...state.hours.map((h) => h.new_leads));
  chart.replaceChildren(
    ...state.hours.map((h) =>
      el(
        "div",
        { class: "column", title: `${hourStart(h.hour)} — ${h.new_leads}` },
        el("span", { class: "column-fill", style: { height: `${(100 * h.new_leads) / max}%` } }),
      ),
    ),
  );
  const last = state.hours[state.hours.length - 1];
  $("#this-hour").textContent = last ? String(last.new_leads) : "0";
}

function prepend(list, item, max) {
  list.prepend(item);
  while (list.children.length > max) list.lastElementChild.remove();
}

function feed(kind, lead, text, at) {
  const item = el(
    "li",
    { class: `feed-${kind}`, "data-event": kind, "data-lead-id": lead ? lead.id : null },
    el("time", {}, clock(at)),
    el("span", { class: "tag" }, kind),
    el("span", { class: "what" }, text),
  );
  prepend($("#feed"), item, FEED_MAX);
}

function alert(kind, lead, text, at) {
  const item = el(
    "li",
    { class: `alert-${kind}`, "data-event": kind, "data-lead-id": lead ? lead.id : null },
    el("time", {}, clock(at)),
    el("span", { class: "what" }, text),
  );
  prepend($("#alerts"), item, ALERTS_MAX);
}

function count(status, delta) {
  if (!status) return;
  state.counts[status] = Math.max(0, (state.counts[status] || 0) + delta);
  touch("counts");
}

const HOUR_MS = 3_600_000;

/** The chart's hours up to the one `at` falls in (idle hours with none); the last 24 kept. */
function rollHours(at) {
  const hour = Math.floor(at / HOUR_MS) * HOUR_MS; // the hours of /api/analytics/hourly are UTC's
  const last = state.hours[state.hours.length - 1];
  let next = last ? Date.parse(last.hour) + HOUR_MS : hour;
  for (; next <= hour; next += HOUR_MS) state.hours.push({ hour: new Date(next).toISOString(), new_leads: 0 });
  state.hours.splice(0, Math.max(0, state.hours.length - 24));
  touch("hours");
  return state.hours.find((h) => Date.parse(h.hour) === hour);
}

function arrived(at) {
  const hour = rollHours(at ? Date.parse(at) : Date.now());
  if (hour) hour.new_leads += 1;
}

let funnelTimer = null;
function refreshFunnel() {
  if (funnelTimer) return;
  funnelTimer = setTimeout(async () => {
    funnelTimer = null;
    state.funnel = (await session.api("GET", "/api/analytics/funnel")).data;
    touch("funnel");
  }, 1000);
}

let presenceTimer = null;
function refreshPresence() {
  if (presenceTimer) return;
  presenceTimer = setTimeout(async () => {
    presenceTimer = null;
    await loadPresence();
  }, 300);
}

async function loadPresence() {
  const people = (await session.api("GET", "/api/realtime/presence")).data;
  state.online = new Map(people.map((p) => [p.user_id, p]));
  touch("online");
}

/** Everything over REST; answers the event seq the counters stand at. */
async function load() {
  const [funnel, hours] = await Promise.all([
    session.api("GET", "/api/analytics/funnel"),
    session.api("GET", "/api/analytics/hourly?hours=24"),
    loadPresence(),
  ]);
  const counts = await session.api("GET", "/api/leads/counts");
  state.statuses = counts.data.map((c) => c.status);
  state.counts = Object.fromEntries(counts.data.map((c) => [c.status, c.count]));
  state.funnel = funnel.data;
  state.hours = hours.data;
  touch("counts", "funnel", "hours");
  return counts.seq;
}

function listen(live) {
  live.on("lead:new", (e) => {
    count(e.lead.status, +1);
    arrived(e.lead.created_at);
    feed("new", e.lead, `${leadName(e.lead)} · ${e.lead.platform_key || "website"}`, e.at);
  });
  live.on("lead:assigned", (e) => {
    feed("assigned", e.lead, `${leadName(e.lead)} → ${personName(e.assigned_user)}`, e.at);
  });
  live.on("lead:unassigned", (e) => {
    feed("unassigned", e.lead, `${leadName(e.lead)} unassigned`, e.at);
  });
  live.on("lead:status_changed", (e) => {
    count(e.previous_status, -1);
    count(e.new_status, +1);
    feed("status", e.lead, `${leadName(e.lead)}: ${label(e.previous_status)} → ${label(e.new_status)}`, e.at);
  });
  live.on("sla:breach", (e) => {
    alert("sla", e.lead, `SLA breach · ${leadName(e.lead)} in ${label(e.status)}, ${e.hours_over} h over`, e.at);
  });
  live.on("followup:overdue", (e) => {
    alert("overdue", e.lead, `Follow-up overdue · ${leadName(e.lead)}, ${e.hours_overdue} h`, e.at);
  });
  live.on("presence:changed", (e) => {
    if (e.online) refreshPresence();
    else if (state.online.delete(e.user_id)) touch("online");
  });
  live.on("analytics:updated", refreshFunnel);
}

function stopped() {
  if (live) live.stop();
  live = null;
}

async function started() {
  stopped();
  $("#feed").replaceChildren();
  $("#alerts").replaceChildren();
  $("#who").textContent = `${personName(session.user)} · ${session.user.entity ? session.user.entity.name : ""}`;
  live = new Live(session, load);
  showState(live);
  listen(live);
  await live.start();
}

function tick() {
  $("#clock").textContent = clock();
}

signInFlow(session, started, stopped);
tick();
setInterval(tick, 1000);
setInterval(() => state.hours.length && rollHours(Date.now()), 60_000);
window.floor = { session, get live() { return live; }, state };
