// The rep's view: their leads with stage and next action, an alert the moment a lead is assigned
// to them, their due and overdue follow-ups, and the buttons to move a lead or log a call.
import { $, Live, Session, clock, duration, el, hoursText, label, leadName, personName, showState, signInFlow } from "./app.js";

const session = new Session();
// moves: the next statuses shown for a lead (its "Move…" opened), kept across re-renders
const state = { leads: [], total: 0, pending: [], overdue: [], overdueTotal: 0, moves: new Map() };
let live = null;

const me = () => session.user && session.user.id;
const mine = (lead) => lead && lead.assigned_user_id === me();

// ---- the alert ---------------------------------------------------------------------------

function notify(title, body) {
  if (!("Notification" in window) || Notification.permission !== "granted") return;
  try {
    new Notification(title, { body, tag: "salesmagnet-assignment" });
  } catch {
    // some browsers only notify from a service worker; the page's own alert is shown anyway
  }
}

function raise(lead, by) {
  const box = $("#assigned-alert");
  box.replaceChildren(
    el("strong", {}, "New lead for you"),
    el("span", { class: "alert-lead", "data-lead-id": lead.id }, leadName(lead)),
    el("span", {}, [lead.email, lead.phone].filter(Boolean).join(" · ")),
    el("button", { type: "button", onclick: () => box.classList.remove("shown") }, "Got it"),
  );
  box.dataset.leadId = String(lead.id);
  box.classList.add("shown");
  notify("New lead assigned to you", `${leadName(lead)}${by ? ` (from ${by})` : ""}`);
}

// ---- lists -------------------------------------------------------------------------------

function nextFollowUp(leadId) {
  const due = [...state.overdue, ...state.pending].filter((f) => f.lead_id === leadId);
  return due.length ? due[0] : null;
}

function followUpText(f) {
  const hours = (Date.parse(f.next_follow_up_date) - Date.now()) / 3_600_000; // the API's are whole hours
  return `${label(f.activity_type)} ${hours < 0 ? `${duration(hours)} overdue` : hoursText(hours)}`;
}

function renderLeads() {
  const list = $("#my-leads");
  list.replaceChildren(
    ...state.leads.map((lead) => {
      const next = nextFollowUp(lead.id);
      return el(
        "li",
        { "data-lead-id": lead.id, "data-status": lead.status },
        el("div", { class: "lead-line" },
          el("span", { class: "lead-name" }, leadName(lead)),
          el("span", { class: `badge status-${lead.status}` }, label(lead.status)),
        ),
        el("div", { class: "lead-next" }, next ? `Next: ${followUpText(next)}` : "No follow-up planned"),
        el("div", { class: "actions" },
          el("button", { type: "button", class: "move", onclick: () => showMoves(lead) }, "Move…"),
          el("button", { type: "button", class: "log-call", onclick: () => logCall(lead) }, "Log call"),
        ),
        el(
          "div",
          { class: "moves" },
          (state.moves.get(lead.id) || []).map((status) =>
            el("button", { type: "button", "data-status": status, onclick: () => move(lead, status) }, `→ ${label(status)}`),
          ),
        ),
      );
    }),
  );
  $("#my-count").textContent = state.total.toLocaleString();
}

function renderFollowUps() {
  const row = (f, kind) =>
    el(
      "li",
      { class: kind, "data-activity-id": f.id, "data-lead-id": f.lead_id },
      el("span", { class: "what" }, leadName({ id: f.lead_id, first_name: f.lead_first_name, last_name: f.lead_last_name, email: f.lead_email })),
      el("span", { class: "when" }, followUpText(f)),
    );
  $("#overdue").replaceChildren(...state.overdue.map((f) => row(f, "overdue")));
  $("#pending").replaceChildren(...state.pending.map((f) => row(f, "pending")));
  $("#overdue-count").textContent = state.overdueTotal.toLocaleString();
}

function toast(text) {
  const box = $("#toast");
  box.textContent = text;
  box.classList.add("shown");
  setTimeout(() => box.classList.remove("shown"), 2500);
}

// ---- actions (the REST API) -----------------------------------------------------------------

async function showMoves(lead) {
  const found = (await session.api("GET", `/api/stages/lead/${lead.id}/next-statuses`)).data;
  state.moves.set(lead.id, found.next_possible_statuses.map((s) => s.name));
  renderLeads();
}

async function move(lead, status) {
  try {
    await session.api("POST", "/api/stages/change-status", { leadId: lead.id, status });
    state.moves.delete(lead.id);
    toast(`${leadName(lead)} moved to ${label(status)}`);
  } catch (error) {
    toast(error.message);
  }
}

async function logCall(lead) {
  const description = window.prompt(`Call with ${leadName(lead)}: what was said?`, "Called");
  if (description === null) return;
  try {
    await session.api("POST", "/api/activities/log", {
      leadId: lead.id,
      activityType: "call",
      description: description || "Called",
      status: "completed",
    });
    toast(`Call logged for ${leadName(lead)}`);
  } catch (error) {
    toast(error.message);
  }
}

// ---- loading and events ----------------------------------------------------------------------

async function loadLeads() {
  const mine = await session.api("GET", "/api/leads/my-leads?limit=100");
  state.leads = mine.data;
  state.total = mine.total;
  renderLeads();
}

async function loadFollowUps() {
  const who = `for_user_id=${me()}`; // theirs: logged by them or on their leads
  const [pending, overdue] = await Promise.all([
    session.api("GET", `/api/activities/follow-ups/pending?${who}&limit=50`),
    session.api("GET", `/api/activities/follow-ups/overdue?${who}&limit=50`),
  ]);
  state.pending = pending.data;
  state.overdue = overdue.data;
  state.overdueTotal = overdue.total;
  renderFollowUps();
  renderLeads();
}

async function load() {
  const seq = (await session.api("GET", "/api/leads/counts")).seq;
  await Promise.all([loadLeads(), loadFollowUps()]);
  return seq;
}

const soon = new Map(); // loader → its timer: several events in a burst load once each
function later(load) {
  if (soon.has(load)) return;
  soon.set(
    load,
    setTimeout(async () => {
      soon.delete(load);
      await load();
    }, 150),
  );
}

function listen(live) {
  live.on("lead:assigned", (e) => {
    if (mine(e.lead)) {
      raise(e.lead, e.assignment && e.assignment.assigned_by_name);
      later(loadLeads);
    } else if (state.leads.some((l) => l.id === e.lead.id)) later(loadLeads); // taken from me
  });
  live.on("lead:unassigned", (e) => {
    if (state.leads.some((l) => l.id === e.lead.id)) later(loadLeads);
  });
  live.on("lead:status_changed", (e) => {
    const lead = state.leads.find((l) => l.id === e.lead_id);
    if (!lead) return;
    lead.status = e.new_status;
    state.moves.delete(lead.id);
    renderLeads();
  });
  live.on("followup:overdue", (e) => {
    if (e.activity.user_id === me() || mine(e.lead)) later(loadFollowUps);
  });
  live.on("activity:updated", (e) => {
    // done, cancelled or moved by anyone: reload when it is listed here or is the rep's
    const listed = [...state.overdue, ...state.pending].some((f) => f.id === e.activity_id);
    const a = e.activity;
    if (listed || (a && (a.user_id === me() || state.leads.some((l) => l.id === a.lead_id)))) later(loadFollowUps);
  });
  live.on("activity:logged", (e) => {
    if (e.activity.user_id === me() || state.leads.some((l) => l.id === e.activity.lead_id)) later(loadFollowUps);
  });
}

function stopped() {
  if (live) live.stop();
  live = null;
}

async function started() {
  stopped();
  $("#who").textContent = personName(session.user);
  if ("Notification" in window && Notification.permission === "default") {
    $("#notify").hidden = false;
  }
  live = new Live(session, load);
  showState(live);
  listen(live);
  await live.start();
}

$("#notify").addEventListener("click", async () => {
  await Notification.requestPermission();
  $("#notify").hidden = true;
});
signInFlow(session, started, stopped);
setInterval(() => ($("#clock").textContent = clock()), 1000);
window.floor = { session, get live() { return live; }, state };
