// The dashboard page: renders the daemon's snapshot (from /dashboard/events, Server-Sent Events)
// with DOM calls only. Every value from the daemon (room names, metadata, messages) becomes a
// text node or an attribute value, never markup: there is no innerHTML anywhere.
'use strict';

/** An element with attributes and children; strings become text nodes. */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v !== undefined && v !== null) node.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(typeof c === 'string' || typeof c === 'number' ? String(c) : c);
  }
  return node;
}

function time(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleTimeString();
}

function statusClass(status) {
  if (status === 'True' || status === 'success' || status === true) return 'ok';
  if (status === 'False' || status === 'error' || status === false) return 'bad';
  if (status === 'held') return 'warn';
  return 'unknown';
}

function condition(room, type) {
  const c = (room.conditions ?? []).find((x) => x.type === type);
  if (!c) return el('td', {}, el('span', { class: 'badge unknown' }, 'Unknown'));
  return el(
    'td',
    { 'data-condition': type, 'data-status': c.status, title: c.message },
    el('span', { class: `badge ${statusClass(c.status)}` }, c.status),
    el('span', { class: 'reason' }, c.reason),
    c.message ? el('span', { class: 'reason' }, c.message) : null,
  );
}

function participants(room) {
  const list = room.participants ?? [];
  if (list.length === 0) return el('td', { class: 'muted' }, room.live ? 'empty' : 'not live');
  return el(
    'td',
    {},
    el('span', {}, `${list.length} (${room.publishers ?? 0} publishing)`),
    el(
      'ul',
      {},
      list.map((p) =>
        el(
          'li',
          { 'data-participant': p.identity },
          el('span', { class: 'name' }, p.identity),
          p.name && p.name !== p.identity ? ` (${p.name})` : '',
          p.publisher ? el('span', { class: 'badge ok' }, 'publisher') : '',
          p.kind && p.kind !== 'standard' ? el('span', { class: 'badge unknown' }, p.kind) : '',
        ),
      ),
    ),
  );
}

function egressLine(e) {
  const files = (e.files ?? []).map((f) => `${f.location} (${f.size} B)`).join(', ');
  const streams = (e.streams ?? []).map((s) => `${s.url} ${s.status}`).join(', ');
  return el(
    'li',
    {},
    el(
      'span',
      { class: `badge ${e.status === 'complete' ? 'ok' : e.error ? 'bad' : 'unknown'}` },
      e.status,
    ),
    ` ${e.policy ?? 'other'} `,
    e.lost ? el('span', { class: 'badge bad' }, 'lost') : '',
    files ? el('span', { class: 'reason' }, files) : '',
    streams ? el('span', { class: 'reason' }, streams) : '',
    e.error ? el('span', { class: 'reason bad' }, e.error) : '',
  );
}

function recordings(room) {
  const r = room.recordings ?? {};
  const running = r.egresses ?? [];
  const ended = (r.ended ?? []).slice(-3).reverse();
  if (running.length === 0 && ended.length === 0) return el('td', { class: 'muted' }, 'none');
  return el('td', {}, el('ul', {}, running.map(egressLine), ended.map(egressLine)));
}

function agents(room) {
  // The room's agent dispatches (status `agents.dispatches`), each with its jobs' state, and
  // whether its agent is in the room (`agents.participants`).
  const a = room.agents ?? {};
  const list = Array.isArray(a.dispatches) ? a.dispatches : [];
  const inRoom = Array.isArray(a.participants) ? a.participants : [];
  if (list.length === 0) return el('td', { class: 'muted' }, '');
  return el(
    'td',
    {},
    el(
      'ul',
      {},
      list.map((d) => {
        const jobs = Array.isArray(d.jobs) ? d.jobs : [];
        const joined = inRoom.some(
          (p) =>
            (p.agentName && p.agentName === d.agentName) ||
            jobs.some((j) => j.id === p.jobId || (j.participant && j.participant === p.identity)),
        );
        const state = joined ? 'in room' : (jobs[jobs.length - 1]?.status ?? 'dispatched');
        return el(
          'li',
          {},
          el('span', { class: 'name' }, String(d.agentName || '(automatic)')),
          ` ${state}`,
          d.owner ? '' : el('span', { class: 'reason' }, 'not this tool'),
        );
      }),
    ),
  );
}

function lastReconcile(room) {
  const r = room.lastReconcile;
  if (!r) return el('td', { class: 'muted' }, 'never');
  return el(
    'td',
    {},
    el('span', { class: `badge ${statusClass(r.result)}` }, r.result),
    ` ${time(r.time)}`,
    (r.actions ?? []).length > 0 ? el('span', { class: 'reason' }, r.actions.join(', ')) : '',
    r.message ? el('span', { class: 'reason' }, r.message) : '',
  );
}

function roomRow(room) {
  return el(
    'tr',
    { 'data-room': room.room },
    el(
      'td',
      {},
      el('span', { class: 'name' }, room.room),
      el(
        'span',
        { class: 'reason' },
        `${room.declared ? 'declared' : 'not declared'}, ${room.live ? 'live' : 'not live'}` +
          (room.specCommit ? `, spec from ${commitText(room.specCommit)}` : ''),
      ),
    ),
    condition(room, 'Synced'),
    condition(room, 'Ready'),
    participants(room),
    recordings(room),
    agents(room),
    lastReconcile(room),
  );
}

function daemonPanel(s) {
  const d = s.daemon;
  const holder = (l, none) => (l ? `${l.who} (${l.operation}, since ${time(l.created)})` : none);
  // A leading daemon takes the state lock only around its writes: free most of the time.
  const leader = holder(s.leader, 'none (no daemon leads)');
  const lock = holder(s.lock, 'free');
  const resync = d.lastFullResync
    ? el(
        'span',
        {},
        el(
          'span',
          { class: `badge ${statusClass(d.lastFullResync.result)}` },
          d.lastFullResync.result,
        ),
        ` ${time(d.lastFullResync.time)}`,
        d.lastFullResync.message ? el('span', { class: 'reason' }, d.lastFullResync.message) : '',
      )
    : 'not yet';
  const up = d.livekitUp === null ? 'unknown' : d.livekitUp ? 'reachable' : 'unreachable';
  return el(
    'dl',
    {},
    el('dt', {}, 'Daemon'),
    el(
      'dd',
      { id: 'daemon-active' },
      `${d.active ? 'active (leads)' : 'standing by'}, pid ${d.pid}`,
    ),
    el('dt', {}, 'Leader'),
    el('dd', { id: 'leader' }, leader),
    el('dt', {}, 'State lock'),
    el('dd', { id: 'lock-holder' }, lock),
    el('dt', {}, 'LiveKit'),
    el('dd', {}, el('span', { class: `badge ${statusClass(d.livekitUp)}` }, up)),
    el('dt', {}, 'Last full reconcile'),
    el('dd', { id: 'last-resync' }, resync),
    ...gitRows(d.git),
    el('dt', {}, 'Updated'),
    el('dd', {}, time(s.generatedAt)),
  );
}

function commitText(c) {
  return `${c.sha.slice(0, 12)} "${c.subject}" by ${c.author}`;
}

/** The git source's applied, fetched and refused commits (absent without a git source). */
function gitRows(git) {
  if (!git) return [];
  const rows = [
    el('dt', {}, 'Git commit'),
    el(
      'dd',
      { id: 'git-applied' },
      git.applied ? `${commitText(git.applied)}, since ${time(git.applied.since)}` : 'none yet',
    ),
  ];
  if (git.fetched && git.fetched.sha !== git.applied?.sha) {
    rows.push(el('dt', {}, 'Fetched'), el('dd', {}, commitText(git.fetched)));
  }
  if (git.rejected) {
    rows.push(
      el('dt', {}, 'Refused'),
      el('dd', { class: 'bad' }, `${commitText(git.rejected)} (${git.rejected.reason})`),
    );
  }
  if (git.lastFetch?.result === 'error') {
    rows.push(el('dt', {}, 'Fetch'), el('dd', { class: 'bad' }, git.lastFetch.message ?? 'failed'));
  }
  return rows;
}

function specErrors(list) {
  if (list.length === 0) return el('p', { class: 'ok' }, 'none');
  return el(
    'ul',
    {},
    list.map((e) =>
      el('li', { class: 'bad' }, `${e.file}:${e.line}:${e.col}  ${e.code}  ${e.message}`),
    ),
  );
}

function eventRow(e) {
  const detail = [e.participant, e.rule, e.effect, e.result, e.message].filter(Boolean).join(' · ');
  return el(
    'tr',
    {},
    el('td', {}, time(e.time)),
    el('td', { class: 'name' }, e.room),
    el('td', {}, e.event),
    el('td', {}, detail),
  );
}

const MAX_ROWS = 500;
const state = { head: null, rooms: new Map() };

function rank(r) {
  return (r.declared ? 0 : 2) + (r.live ? 0 : 1);
}

function renderHead() {
  const s = state.head;
  if (!s) return;
  document.getElementById('version').replaceChildren(`v${s.toolVersion}`);
  document.getElementById('daemon').replaceChildren(daemonPanel(s));
  document.getElementById('spec-errors').replaceChildren(specErrors(s.daemon.specErrors ?? []));
  document.getElementById('events').replaceChildren(...s.events.map(eventRow));
}

function renderRooms() {
  const rooms = [...state.rooms.values()].sort(
    (a, b) => rank(a) - rank(b) || a.room.localeCompare(b.room),
  );
  const total = Math.max(state.head?.roomCount ?? 0, rooms.length);
  document.getElementById('room-count').replaceChildren(`(${total})`);
  document.getElementById('rooms').replaceChildren(...rooms.slice(0, MAX_ROWS).map(roomRow));
  const omitted = total - Math.min(rooms.length, MAX_ROWS);
  document
    .getElementById('rooms-omitted')
    .replaceChildren(omitted > 0 ? `${omitted} more rooms not listed` : '');
}

function connection(text) {
  const badge = document.getElementById('connection');
  badge.className = `badge ${text === 'live' ? 'ok' : 'bad'}`;
  badge.replaceChildren(text);
}

function start() {
  const source = new EventSource('/dashboard/events');
  source.addEventListener('snapshot', (ev) => {
    const s = JSON.parse(ev.data);
    state.rooms = new Map(s.rooms.map((r) => [r.room, r]));
    state.head = s;
    renderHead();
    renderRooms();
    connection('live');
  });
  source.addEventListener('room', (ev) => {
    const { room, status } = JSON.parse(ev.data);
    if (status) state.rooms.set(room, status);
    else state.rooms.delete(room);
    renderRooms();
  });
  source.addEventListener('head', (ev) => {
    state.head = JSON.parse(ev.data);
    renderHead();
    renderRooms();
  });
  source.addEventListener('error', () => connection('reconnecting'));
}

start();
