#!/usr/bin/env node
// Generates assets/demo-stream.jsonl: a bundled, fictional stream of social-media
// posts that mention the fictional airline "Halcyon Air" (@HalcyonAir).
//
// Every text below was written by hand for this project (MIT licence). No post is
// copied or paraphrased from any dataset. People, handles and events are invented;
// links point at example.com.
//
// Deterministic: a seeded PRNG drives every random choice, so re-running the script
// produces byte-identical output. No dependencies.
//
//   node scripts/generate-demo-stream.mjs
//
// Also writes scripts/demo-stream-labels.json (id -> intended kind and fault) for the
// team's own checks. The JSONL itself carries no labels: the product scores the texts.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT_FILE = join(ROOT, 'assets', 'demo-stream.jsonl');
const LABELS_FILE = join(ROOT, 'scripts', 'demo-stream-labels.json');

const SEED = 0x4a1c70;
const STREAM_SECONDS = 21600; // 6 hours
const BACKGROUND_FROM = 70; // only the hand-placed opening posts land before this

// ---------------------------------------------------------------------------
// Seeded PRNG (mulberry32)
// ---------------------------------------------------------------------------

function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = mulberry32(SEED);
const int = (min, max) => min + Math.floor(rand() * (max - min + 1));
const pick = (list) => list[Math.floor(rand() * list.length)];

// ---------------------------------------------------------------------------
// Placeholder values: {fl} {fl2} {ap} {ap2} {hrs} {mins} {amt} {ref} {url}
// {gate} {seat} {days} {weeks}. The same placeholder inside one post resolves to
// the same value.
// ---------------------------------------------------------------------------

const AIRPORTS = ['BOS', 'JFK', 'DEN', 'SFO', 'SEA', 'MIA', 'ATL', 'LAX', 'AUS', 'PHX', 'MSP', 'PDX', 'SAN', 'LHR', 'DUB', 'AMS', 'LIS', 'MAD'];
const AMOUNTS = [
  '$89',
  '$112.40',
  '$139',
  '$164.99',
  '$189',
  '$212.50',
  '$248',
  '$276.30',
  '$315',
  '$342.18',
  '$389',
  '$412',
  '$468.70',
  '$527',
  '$584.20',
  '$649',
  '$712.45',
  '$835',
  '$960',
  '$1,140',
];
const URL_PATHS = ['p', 'photos', 'status', 'i', 'media', 'v', 'pics', 'post', 's', 'img'];
const REF_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function flightNumber() {
  return rand() < 0.6 ? `HA${int(101, 989)}` : `HA${int(1002, 3980)}`;
}

function slug(len) {
  const chars = 'abcdefghijkmnpqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < len; i += 1) s += chars[Math.floor(rand() * chars.length)];
  return s;
}

const GENERATORS = {
  fl: () => flightNumber(),
  fl2: () => flightNumber(),
  ap: () => pick(AIRPORTS),
  ap2: (cache) => {
    let code = pick(AIRPORTS);
    while (code === cache.ap) code = pick(AIRPORTS);
    return code;
  },
  hrs: () => String(int(2, 6)),
  mins: () => String(int(35, 190)),
  amt: () => pick(AMOUNTS),
  ref: () => {
    let s = '';
    for (let i = 0; i < 6; i += 1) s += REF_CHARS[Math.floor(rand() * REF_CHARS.length)];
    return s;
  },
  url: () => `https://example.com/${pick(URL_PATHS)}/${slug(int(6, 10))}`,
  gate: () => `${pick(['A', 'B', 'C', 'D', 'E'])}${int(1, 38)}`,
  seat: () => `${int(8, 34)}${pick(['A', 'B', 'C', 'D', 'E', 'F'])}`,
  days: () => String(int(2, 9)),
  weeks: () => String(int(3, 10)),
};

function fill(text) {
  const cache = {};
  return text.replace(/\{(\w+)\}/g, (match, key) => {
    if (!GENERATORS[key]) throw new Error(`Unknown placeholder ${match} in: ${text}`);
    if (!(key in cache)) cache[key] = GENERATORS[key](cache);
    return cache[key];
  });
}

// ---------------------------------------------------------------------------
// Named authors (repeat contacts, big accounts, brands, non-English posters)
// ---------------------------------------------------------------------------

const AUTHORS = {
  // repeat contacts
  dana: { handle: 'dana_whit', name: 'Dana Whitfield', followers: 412 },
  marek: { handle: 'mkowalski', name: 'Marek Kowalski', followers: 187 },
  jess: { handle: 'jess_okoro', name: 'Jess Okoro', followers: 1240 },
  tom: { handle: 'tomreyes', name: 'Tom Reyes', followers: 96 },
  lena: { handle: 'lena_marsh', name: 'Lena Marsh', followers: 2310 },
  raj: { handle: 'rajpatel_84', name: 'Raj Patel', followers: 538 },
  // big accounts (200k - 1M)
  jonah: { handle: 'jonahvale', name: 'Jonah Vale', followers: 874300 },
  nadia: {
    handle: 'nadiabrennan',
    name: 'Nadia Brennan ✈ travel desk',
    followers: 412800,
  },
  leo: {
    handle: 'wanderwithleo',
    name: 'Leo Marchetti | Wander With Leo',
    followers: 265100,
  },
  transit: { handle: 'transitwire', name: 'Transit Wire', followers: 318400 },
  // mid-size accounts (10k - 100k)
  deals: { handle: 'skydealsdaily', name: 'Sky Deals Daily', followers: 88400 },
  windy: { handle: 'windycitywire', name: 'Windy City Wire', followers: 45200 },
  avgeek: { handle: 'avgeek_daily', name: 'AvGeek Daily ✈', followers: 62300 },
  pod: { handle: 'carryonpod', name: 'Carry-On Podcast', followers: 12800 },
  give: { handle: 'tripgiveaways', name: 'Trip Giveaways', followers: 23900 },
  jobs: { handle: 'bosjobsboard', name: 'Boston Jobs Board', followers: 15600 },
  green: { handle: 'greenskywatch', name: 'Green Sky Watch', followers: 9400 },
  // non-English posters
  lucia: { handle: 'luciafdez', name: 'Lucía Fernández', followers: 734 },
  carmen: { handle: 'carmenruiz_', name: 'Carmen Ruiz', followers: 289 },
  jonas: { handle: 'jonasbecker', name: 'Jonas Becker', followers: 455 },
  katrin: { handle: 'katrin_vogel', name: 'Katrin Vogel', followers: 1120 },
  emilie: { handle: 'emilie_lrt', name: 'Émilie Laurent', followers: 602 },
  joao: { handle: 'joaomartins', name: 'João Martins', followers: 341 },
  layla: { handle: 'laylahaddad', name: 'ليلى حداد', followers: 890 },
  yuki: { handle: 'yuki_sato', name: '佐藤ゆき', followers: 1530 },
  // small accounts whose posts go viral
  rosa: { handle: 'rollingrosa', name: 'Rosa Delgado ♿', followers: 640 },
  bentran: { handle: 'ben_tran', name: 'Ben Tran', followers: 152 },
  matt: { handle: 'mattyhughes', name: 'Matt Hughes', followers: 380 },
  ellie: { handle: 'ellie_mae_b', name: 'Ellie Bennett', followers: 214 },
  chad: { handle: 'chadwick_r', name: 'Chad Rowe', followers: 733 },
  sian: { handle: 'signwithsian', name: 'Siân & Gareth', followers: 1840 },
  nikki: { handle: 'nikki_adeyemi', name: 'Nikki Adeyemi', followers: 267 },
  omar: { handle: 'omar_fh', name: 'Omar Farah', followers: 58 },
  kels: { handle: 'kelsey_wu', name: 'Kelsey Wu', followers: 905 },
  gabe: { handle: 'gabe_ortiz', name: 'Gabe Ortiz', followers: 1460 },
};

// ---------------------------------------------------------------------------
// Random authors
// ---------------------------------------------------------------------------

const FIRST = [
  'Maria',
  'James',
  'Aisha',
  'Daniel',
  'Sofia',
  'Kevin',
  'Mei',
  'Hannah',
  'Luis',
  'Grace',
  'Tyler',
  'Fatima',
  'Ben',
  'Chloe',
  'Marcus',
  'Nia',
  'Ethan',
  'Olivia',
  'Diego',
  'Zoe',
  'Sam',
  'Ruth',
  'Carlos',
  'Emma',
  'Jamal',
  'Lily',
  'Noah',
  'Ava',
  'Ravi',
  'Megan',
  'Elena',
  'Chris',
  'Jade',
  'Kwame',
  'Holly',
  'Andre',
  'Ines',
  'Patrick',
  'Yusuf',
  'Claire',
  'Mateo',
  'Beth',
  'Arjun',
  'Finn',
  'Leah',
  'Owen',
  'Tariq',
  'Isla',
  'Victor',
  'Kira',
  'Hugo',
  'Amara',
  'Sean',
  'Tess',
  'Felix',
  'Naomi',
  'Rory',
  'Mina',
  'Caleb',
  'Eva',
  'Darius',
  'June',
  'Malik',
  'Rachel',
  'Theo',
  'Bianca',
  'Alicia',
  'Jin',
  'Priyanka',
  'Colin',
  'Wendy',
  'Ade',
  'Paula',
  'Simon',
  'Farah',
  'Greta',
  'Ivan',
  'Lorna',
  'Dev',
  'Keisha',
];
const LAST = [
  'Keller',
  'Nguyen',
  'Johnson',
  'Okafor',
  'Rossi',
  'Chen',
  'Ahmed',
  'Murphy',
  'Garcia',
  'Brooks',
  'Kim',
  'Walsh',
  'Silva',
  'Schmidt',
  "O'Brien",
  'Santos',
  'Novak',
  'Campbell',
  'Diaz',
  'Fischer',
  'Ito',
  'Mensah',
  'Lopez',
  'Reid',
  'Costa',
  'Larsen',
  'Moreau',
  'Hassan',
  'Park',
  'Doyle',
  'Ramos',
  'Price',
  'Sullivan',
  'Berg',
  'Shah',
  'Foster',
  'Evans',
  'Morales',
  'Quinn',
  'Russo',
  'Ward',
  'Yamamoto',
  'Baker',
  'Lindqvist',
  'Owusu',
  'Flynn',
  'Castillo',
  'Haddad',
  'Kaur',
  'Petrov',
  'Byrne',
  'Alvarez',
  'Nakamura',
  'Ferreira',
  'Stone',
];
// Handles that don't follow the person's name.
const PERSONAS = [
  ['tiredflyer', 'tired flyer'],
  ['windowseatwill', 'Will (window seat)'],
  ['gatelouse', 'gate louse'],
  ['snackboxfan', 'snack box enthusiast'],
  ['mileagerunner', 'Mileage Runner'],
  ['redeyeregular', 'red-eye regular'],
  ['carryononly', 'carry-on only 🎒'],
  ['jetlaggedjen', 'Jen (jet lagged)'],
  ['bostonbarb', 'Barb from Boston'],
  ['denverdad', 'Denver Dad'],
  ['lisbonbound', 'lisbon bound ☀️'],
  ['avgeek_sara', 'Sara ✈ avgeek'],
  ['nomadnell', 'Nell the nomad'],
  ['planespotter_k', 'Kai spots planes'],
  ['momof3travels', 'Mom of 3, travelling'],
  ['coffeeandgates', 'coffee & gates'],
  ['sleepyseat14c', '14C'],
  ['pdx_paul', 'Paul in PDX'],
  ['overheadbinned', 'overhead binned'],
  ['thelayoverlife', 'The Layover Life'],
  ['kaylawanders', 'Kayla Wanders'],
  ['grumpycommuter', 'Grumpy Commuter'],
  ['baggageclaimed', 'baggage claimed'],
  ['ontimeorelse', 'on time or else'],
  ['sunnyside_sam', 'Sam ☀'],
  ['midwestmarcy', 'Marcy (midwest)'],
  ['rowfourteen', 'Row Fourteen'],
  ['pilotsdaughter', "pilot's daughter"],
  ['chai_and_miles', 'chai & miles'],
  ['deskjockey_d', 'd.'],
  ['notabotbrenda', 'Brenda (not a bot)'],
  ['tuesdayflyer', 'Tuesday Flyer'],
];

const usedHandles = new Set(Object.values(AUTHORS).map((a) => a.handle));
const personaQueue = [...PERSONAS];

function ascii(s) {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();
}

function randomFollowers() {
  const r = rand();
  const logUniform = (lo, hi) => Math.round(Math.exp(Math.log(lo) + rand() * (Math.log(hi) - Math.log(lo))));
  if (r < 0.04) return int(10, 19);
  if (r < 0.86) {
    // log-normal-ish around a few hundred, clamped to 20..3000
    const g = (rand() + rand() + rand()) / 3; // 0..1, peaked
    return Math.round(Math.exp(Math.log(20) + g * (Math.log(3000) - Math.log(20))));
  }
  if (r < 0.93) return logUniform(3000, 10000);
  return logUniform(10000, 100000);
}

function randomAuthor() {
  if (personaQueue.length && rand() < 0.12) {
    const [handle, name] = personaQueue.splice(Math.floor(rand() * personaQueue.length), 1)[0];
    usedHandles.add(handle);
    return { handle, name, followers: randomFollowers() };
  }
  for (;;) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const f = ascii(first);
    const l = ascii(last);
    const patterns = [
      `${f}_${l}`,
      `${f}${l}`,
      `${f}_${l[0]}`,
      `${f[0]}${l}`,
      `${f}${int(2, 99)}`,
      `${f}_${l.slice(0, 3)}`,
      `${l}${f[0]}${int(1, 9)}`,
      `the${f}${l[0]}`,
      `${f}${l}${int(70, 99)}`,
    ];
    const handle = pick(patterns);
    if (handle.length < 3 || handle.length > 15 || usedHandles.has(handle)) continue;
    usedHandles.add(handle);
    const style = rand();
    let name;
    if (style < 0.58) name = `${first} ${last}`;
    else if (style < 0.7) name = first.toLowerCase();
    else if (style < 0.82) name = `${first} ${last[0]}.`;
    else if (style < 0.92) name = `${first} ${last} ${pick(['✈️', '🌍', '☕', '🏔', '🌊', '📚', '🎧'])}`;
    else name = first;
    return { handle, name, followers: randomFollowers() };
  }
}

// ---------------------------------------------------------------------------
// Post specs
//   kind: complaint | severity | praise | question | noise
//   fault: company | customer | third_party | none
//   options: at (exact second), win [from, to], author (key of AUTHORS),
//            lang, growth, key (for RT references), rtOf (key of another post)
// ---------------------------------------------------------------------------

const C = (text, o = {}) => ({
  kind: 'complaint',
  fault: 'company',
  text,
  ...o,
});
const CU = (text, o = {}) => ({
  kind: 'complaint',
  fault: 'customer',
  text,
  ...o,
});
const TP = (text, o = {}) => ({
  kind: 'complaint',
  fault: 'third_party',
  text,
  ...o,
});
const SV = (text, o = {}) => ({
  kind: 'severity',
  fault: 'company',
  text,
  ...o,
});
const PR = (text, o = {}) => ({ kind: 'praise', fault: 'none', text, ...o });
const Q = (text, o = {}) => ({ kind: 'question', fault: 'none', text, ...o });
const NZ = (text, o = {}) => ({ kind: 'noise', fault: 'none', text, ...o });

// Windows used by clustered events
const SNOW = [3900, 5500]; // snowstorm at Denver (third party)
const OUTAGE = [7200, 8400]; // IT outage + mass cancellation at Chicago O'Hare
const AFTER = [8400, 11000]; // outage aftermath
const GUITAR_RT = [12700, 15600]; // pile-on after a celebrity's viral complaint

const SPECS = [
  // -------------------------------------------------------------------------
  // Opening minute: 10 posts within 60 s, 6 of them clear complaints
  // -------------------------------------------------------------------------
  C("@HalcyonAir day 3 and still no bag. File ref HX4R2M. The tracker has said 'located' since Tuesday. Located WHERE?", { at: 4, author: 'dana' }),
  C('Flight {fl} delayed again, now 2h40 and not a single announcement at the gate. @HalcyonAir what is going on?', { at: 9 }),
  Q('@HalcyonAir can I bring a guitar as hand luggage on a domestic flight or does it need its own seat?', { at: 15 }),
  C('still waiting for my refund from @HalcyonAir, 6 weeks now. cancelled flight, not my choice.', { at: 21, author: 'marek' }),
  PR('Shoutout to the crew on HA204 this morning, they were lovely with my very nervous dad ✈️ #HalcyonAir', { at: 27 }),
  C('great, another delay. love it. thanks halcyon air 🙄', { at: 33 }),
  NZ("Flying Halcyon Air to Lisbon today, first time with them. We'll see 🤞", {
    at: 38,
  }),
  C("@HalcyonAir I've been on hold for 2 hours and 14 minutes. The hold music is burned into my brain.", { at: 44 }),
  CU('ok I typed my own name wrong on the booking (Jonh, lol) and now @HalcyonAir wants $75 to fix it. my fault I guess but ouch', { at: 50 }),
  C('Charged twice for the same seat upgrade. $164.99 x2 on my card. @HalcyonAir please sort this out', { at: 57, author: 'jess' }),

  // -------------------------------------------------------------------------
  // Repeat contacts (same person, same problem, escalating)
  // -------------------------------------------------------------------------
  C(
    "@HalcyonAir Still nothing on my bag. Second time asking today. Ref HX4R2M. It has my work laptop charger and all of my kid's clothes in it. We're wearing the same outfits for the 3rd day.",
    {
      at: 2530,
      author: 'dana',
      growth: {
        likes: 1850,
        reposts: 0.3,
        replies: 0.09,
        steps: [600, 1800, 3600, 7200],
      },
    },
  ),
  C(
    "Third time I'm asking @HalcyonAir. Your DM bot sends me a link to a form I have already filled in twice. Bag ref HX4R2M. Is there a person anywhere in your company?",
    { at: 9820, author: 'dana' },
  ),
  C(
    "Day 3, fourth post, zero humans. @HalcyonAir I'm done being polite. Where is my bag?? HX4R2M. Thousands of people have seen the last post and you still haven't.",
    { at: 17460, author: 'dana' },
  ),

  C(
    '@HalcyonAir I filled in the refund form again like your agent told me to. Refund ref RF-88213, flight HA517, $412. Six weeks. Can someone actually look at it?',
    { at: 6110, author: 'marek' },
  ),
  C("Still nothing. Third time I'm asking. @HalcyonAir refund for cancelled HA517, $412. If I don't hear back this week my bank's chargeback team is next.", {
    at: 14790,
    author: 'marek',
  }),

  C(
    "@HalcyonAir your DM says 'allow 5-7 working days' for a DOUBLE charge. That's $164.99 of my rent sitting in your account because your payment page glitched.",
    { at: 4310, author: 'jess' },
  ),
  C(
    'update for anyone following: @HalcyonAir still has my $164.99 twice. Nobody has answered my DMs since this morning. Screenshot of both charges: https://example.com/i/q8d2kd7',
    { at: 11880, author: 'jess' },
  ),

  C("@HalcyonAir it's been 2 days, you promised a call back about my cancelled HA1186. Phone hasn't rung once.", { at: 1490, author: 'tom' }),
  C("@HalcyonAir still no call. I've kept my phone charged and next to me for 48 hours like an idiot. Case 4471-209.", { at: 8930, author: 'tom' }),
  PR('@HalcyonAir ok, a human finally called me back 20 min ago. Rebooked for Thursday, fees waived. Took 3 days but thank you Ana, you were great.', {
    at: 19020,
    author: 'tom',
  }),

  // Severity thread: unaccompanied minor
  SV(
    '@HalcyonAir my 11 year old flew unaccompanied on HA733 and has been sitting at the arrivals gate for 45 min with NO staff member. This is a paid service. Call me NOW.',
    { at: 13310, author: 'raj' },
  ),
  SV("@HalcyonAir nobody has called. The gate agent told my daughter to 'wait here' and walked off. I'm on the phone with her and she's crying. #HalcyonAir", {
    at: 13880,
    author: 'raj',
  }),
  SV("She's with my sister now, safe. @HalcyonAir I will be filing a formal complaint about HA733 and I expect a call from someone senior, not a voucher.", {
    at: 15230,
    author: 'raj',
  }),

  // -------------------------------------------------------------------------
  // Outage at Chicago O'Hare (burst around 7200-8400)
  // -------------------------------------------------------------------------
  Q("Is the @HalcyonAir check-in down at O'Hare? Every kiosk is showing a blue screen", { at: 7204 }),
  C('@HalcyonAir ORD terminal 5: kiosks dead, bag drop dead, agents writing boarding passes BY HAND??', { win: OUTAGE }),
  C("massive line at the halcyon air counter at o'hare. someone said the whole system is down. 45 min, haven't moved", { win: OUTAGE }),
  C("@HalcyonAir the whole check-in system at ORD is down and there's no one explaining anything. 300 people in one line.", { at: 7262, author: 'lena' }),
  C("Just got the text: {fl} CANCELLED. No reason. No new flight. App won't load. @HalcyonAir #ORD", { win: OUTAGE }),
  C("@HalcyonAir you cancelled every flight out of ORD this afternoon and the only instruction is 'visit halcyonair.com'. Which is also down.", {
    win: OUTAGE,
  }),
  C("I've been in this line at O'Hare for 70 min and it has moved about 4 metres. Halcyon Air staff look as lost as we are", { win: OUTAGE }),
  C('The Halcyon Air queue at ORD. It goes past the Starbucks, round the corner and back again. #HalcyonAir #outage https://example.com/photos/ord-queue-9k2', {
    at: 7420,
    author: 'matt',
    growth: {
      likes: 6200,
      reposts: 0.42,
      replies: 0.06,
      steps: [300, 900, 1800, 3600, 7200],
    },
  }),
  C(
    "Halcyon Air appears to have a systemwide IT failure at Chicago O'Hare: check-in, bag drop and rebooking all down, dozens of departures cancelled. Asking the airline for comment. If you're stuck there, my DMs are open.",
    {
      at: 7510,
      author: 'nadia',
      key: 'nadia_outage',
      growth: {
        likes: 4100,
        reposts: 0.55,
        replies: 0.12,
        steps: [600, 1800, 3600, 7200],
      },
    },
  ),
  C("The agent just told our line 'the computers are down nationwide, we can't rebook anyone'. Nationwide?? @HalcyonAir care to comment", { win: OUTAGE }),
  C("Cancelled at ORD, trying to call: 'due to high call volumes we cannot take your call'. Then it hangs up. @HalcyonAir", { win: OUTAGE }),
  C("Halcyon Air meltdown at O'Hare. Missing my sister's rehearsal dinner. Thanks for nothing.", { win: OUTAGE }),
  C('stuck at ORD with two toddlers, flight cancelled, no food vouchers, no hotel, no info. @HalcyonAir PLEASE', { win: OUTAGE }),
  C('@HalcyonAir how can an airline this size have ONE system that takes down every flight from a hub?? Is there no backup??', { win: OUTAGE }),
  C("update from ORD: they're now cancelling flights that had already boarded. We had to get off. #HalcyonAir", { win: OUTAGE }),
  C("@HalcyonAir I'm a nurse, I'm supposed to start a night shift in Denver in 6 hours. Cancelled with no alternative. Tell me what to do", { win: OUTAGE }),
  NZ(
    "BREAKING: Halcyon Air confirms a 'technical issue' affecting departures from Chicago O'Hare. Passengers told to check the app. More to follow. https://example.com/news/halcyon-air-ohare-outage",
    { win: OUTAGE, author: 'windy' },
  ),
  C("Nothing on the Halcyon Air status page. Nothing in the app. Nothing from the agents. Everything's fine, apparently 🔥🐶☕", { win: OUTAGE }),
  C('@HalcyonAir ANSWER YOUR DMS! There are hundreds of us at ORD with nowhere to go', { win: OUTAGE }),
  C("Second time in 3 months @HalcyonAir's systems have crashed at ORD. That's not a one-off anymore, that's a pattern.", { win: OUTAGE }),
  NZ('', { win: [7560, 8400], rtOf: 'nadia_outage' }),
  C('@HalcyonAir the app just rebooked me onto a flight that was ALSO cancelled. Getting cancelled twice in one afternoon 😂😭', { win: OUTAGE }),
  C('gate agent at ORD is in tears. not her fault. @HalcyonAir management where are you? your staff are taking the abuse for your IT', { win: OUTAGE }),
  C("We've been told to 'go home and call tomorrow'. I live in Seattle. I'm in Chicago. @HalcyonAir", { win: OUTAGE }),
  C("Anyone else on {fl} from ORD? They say bags already checked will be 'held'. Held where? For how long? @HalcyonAir", { win: OUTAGE }),
  Q('@HalcyonAir if my flight was cancelled in the ORD outage am I entitled to a hotel, or do I book my own and claim it back?', { win: OUTAGE }),
  Q('Flying @HalcyonAir out of Chicago tonight at 9pm. Should I still go to the airport or wait? Nothing on the website', { win: OUTAGE }),
  C("Now they've cancelled {fl} too. No rebooking, just 'call the number'. The number has a 3 hour wait. @HalcyonAir", { at: 7905, author: 'lena' }),
  PR(
    "Credit where it's due: the Halcyon Air agent at desk 7 at ORD has been calm and kind to every single person for 2 hours straight. Get that woman a raise",
    { win: [8000, 8380] },
  ),
  C('ok the kiosks at ORD are back on. line is still 400 people long. @HalcyonAir any ETA on actual rebookings?', { win: [8200, 8400] }),

  // Aftermath
  C("5 hours at O'Hare. Still no hotel voucher, still no new flight. @HalcyonAir you need to fix this tonight.", { at: 10410, author: 'lena' }),
  C("Finally rebooked for tomorrow. The @HalcyonAir hotel voucher is for a place 40 minutes away with no shuttle. Taxi's on me apparently", { win: AFTER }),
  C("my bag from the cancelled ORD flight is apparently 'in the system'. the system that was down all afternoon. inspiring confidence @HalcyonAir", {
    win: AFTER,
  }),
  PR('After 4 hours in the ORD chaos, a Halcyon Air agent called Kev rebooked me over DM in 10 minutes. Thank you, seriously.', { win: AFTER }),
  PR("whoever on the @HalcyonAir social team is answering DMs tonight: you're the only part of this airline that's working. thank you", { win: AFTER }),
  Q("will @HalcyonAir refund the hotel I'm booking myself tonight after the ORD cancellations? do I just keep the receipt?", { win: AFTER }),
  NZ(
    'Halcyon Air shares down 3% in afternoon trading after Chicago IT outage grounds dozens of flights https://example.com/markets/halcyon-air-shares-outage',
    { win: AFTER, author: 'transit' },
  ),

  // -------------------------------------------------------------------------
  // Snowstorm at Denver (third party), clustered
  // -------------------------------------------------------------------------
  TP("Snowstorm in Denver, all @HalcyonAir flights on hold while they de-ice. Can't argue with that, just cold and bored", { win: SNOW }),
  TP('Denver is a snow globe. Our flight is delayed 3 hrs for de-icing. Stay safe crews ❄️ #HalcyonAir', { win: SNOW }),
  TP("Diverted to Colorado Springs because of the storm at DEN. Now it's a bus ride. Weather isn't Halcyon Air's fault, but the bus has no heating lol", {
    win: SNOW,
  }),
  TP("@HalcyonAir I can't be mad about the weather, but can someone open the lounge doors at DEN? 200 of us are sitting on the floor", { win: SNOW }),
  TP('@HalcyonAir my connection in Denver got cancelled because of the blizzard. I get it. Do I get a hotel for weather cancellations or is that on me?', {
    win: SNOW,
  }),
  Q("@HalcyonAir is the Denver lounge open during the storm? Looks like we'll be here a while", { win: SNOW }),

  // -------------------------------------------------------------------------
  // Celebrity complaint going viral + pile-on
  // -------------------------------------------------------------------------
  C(
    "Dear @HalcyonAir, I handed my 1962 guitar to your gate crew with a FRAGILE tag and a please. It came back in three pieces. I've played it on every record I've ever made. https://example.com/photos/guitar-3pcs",
    {
      at: 12600,
      author: 'jonah',
      key: 'guitar',
      growth: {
        likes: 48000,
        reposts: 0.34,
        replies: 0.05,
        steps: [300, 900, 1800, 3600, 7200, 14400],
      },
    },
  ),
  NZ('', { win: GUITAR_RT, rtOf: 'guitar' }),
  NZ('', { win: GUITAR_RT, rtOf: 'guitar' }),
  NZ('lmao the replies under that Halcyon Air guitar post. everyone has a broken instrument story', { win: GUITAR_RT }),
  C("Same thing happened to my cello with @HalcyonAir last year. Claim was rejected because it was 'packed inadequately'. It was in a flight case.", {
    win: GUITAR_RT,
  }),

  // -------------------------------------------------------------------------
  // Company-fault complaints (background)
  // -------------------------------------------------------------------------
  C('Sat on the tarmac at {ap} for 90 minutes with no air con and no water. @HalcyonAir this is not ok'),
  C(
    "@HalcyonAir my flight {fl} was cancelled by text message at 5am. No rebooking offered, the app just says 'contact us'. Contact you HOW, the phone line hangs up on me",
  ),
  C("the halcyon air app has been 'temporarily unavailable' since last night. can't check in, can't see my boarding pass. cool cool cool"),
  C('Arrived at {ap}, my suitcase came out with a wheel ripped off and the handle bent 90 degrees. @HalcyonAir who do I send the photos to? {url}'),
  C('@HalcyonAir 3rd email asking about my missing miles from March. Auto-reply every time. Is anyone reading these?'),
  C("Gate agent at {ap} just rolled her eyes and said 'not my problem' when I asked about my connection. Lovely. #HalcyonAir"),
  C("seat {seat} on {fl} doesn't recline and the tray table is held up with tape. 5 hour flight. thanks @HalcyonAir"),
  C('Paid {amt} for inflight wifi on @HalcyonAir and it connected for a grand total of 4 minutes. Refund please.'),
  C("@HalcyonAir online check-in keeps giving me 'Error 500' and the kiosk at the airport says 'see an agent'. There are no agents."),
  C("I've sent 4 DMs to @HalcyonAir since Friday. Read, no reply. Read, no reply. What's the point of having DMs open"),
  C('They split my family across 3 rows. My 4 year old is sitting next to strangers unless someone swaps. We PAID for seat selection @HalcyonAir!!!'),
  C('@HalcyonAir bumped from an overbooked flight, offered a $50 voucher and a 9pm departure. I have a job interview at 9am tomorrow in another city.', {
    at: 11040,
    author: 'omar',
    growth: {
      likes: 940,
      reposts: 0.28,
      replies: 0.14,
      steps: [900, 2700, 5400],
    },
  }),
  C("sooo @HalcyonAir lost my bag AGAIN. that's twice this year. at this point I should just fly with everything I own on my body"),
  C('My bag went to Dublin. I went to Denver. @HalcyonAir 🙃'),
  C("Refund request submitted 11 weeks ago for {fl}. Status: 'processing'. @HalcyonAir what exactly is being processed, my patience?", {
    at: 16200,
    author: 'kels',
    growth: {
      likes: 610,
      reposts: 0.22,
      replies: 0.16,
      steps: [600, 1800, 3600],
    },
  }),
  C('The halcyon air website charged me the bag fee during booking and then again at the counter. {amt} twice for one suitcase.'),
  C("@HalcyonAir your chatbot told me to 'try turning it off and on again' when I said my flight was cancelled. I'm not a router."),
  C("Landed at {ap} 40 min ago, still waiting for a gate. Pilot says 'no ground crew available'. How is that possible @HalcyonAir"),
  C("Boarding {fl} at {ap} is pure chaos. No groups, no announcements, just a crowd shoving at the door. Someone's going to get hurt @HalcyonAir"),
  C('@HalcyonAir promised meal vouchers for the delay. The desk ran out after 10 people. The rest of us get... nothing?'),
  C('cabin on {fl} was filthy. crumbs everywhere, a used tissue in the seat pocket, sticky floor. @HalcyonAir clean your planes'),
  C("A flight attendant on {fl} snapped at my mum because she didn't hear the question over the engine noise. She's 78. Do better @HalcyonAir", {
    at: 980,
    author: 'nikki',
    growth: {
      likes: 3300,
      reposts: 0.25,
      replies: 0.11,
      steps: [600, 1800, 3600, 7200, 14400],
    },
  }),
  C('Missed my connection in {ap} because {fl} left 2 hours late. Halcyon Air put me on a flight TOMORROW afternoon. No hotel. Sleeping on a bench it is'),
  C("Paid for priority boarding, boarded with group 5 because 'the system didn't show it'. {amt} for nothing. #HalcyonAir"),
  C('@HalcyonAir my stroller came off the plane in two pieces. How do you break a stroller into two pieces?!'),
  C(
    "@HalcyonAir the voucher from my cancelled trip 'expired' before I could use it. You cancelled, you gave me the voucher, you let it expire. Make it make sense",
  ),
  C("hey @halcyonair, your baggage tracker has said my bag is 'in transit' for 52 hours. in transit to where, the moon?"),
  C('Not a single Halcyon Air staff member at the transfer desk in {ap}. 40 of us from the cancelled {fl} just standing here.'),
  C("@HalcyonAir the phone menu has no option for 'my flight was cancelled'. Option 4 loops back to the start. I have pressed 4 eleven times."),
  C('been trying to change my flight date on the halcyon air site for 2 days. the payment page crashes every single time 😤'),
  C("Your loyalty app logged me out and now says my account with 48,000 points 'does not exist'. @HalcyonAir please tell me you didn't just delete my points"),
  C('@HalcyonAir HA3318 cancelled 20 min before boarding. Rebooked on a flight 2 days later. For a 1 hour domestic hop. Not acceptable.'),
  C("Halcyon Air lost my wheelchair cushion. It's medical equipment, not a pillow. Ref {ref}. Nobody at {ap} could tell me anything."),
  C("The inflight wifi on @HalcyonAir costs more than my hotel wifi, my home broadband and my phone bill combined, and it can't load one email", {
    at: 2890,
    author: 'gabe',
    growth: {
      likes: 2700,
      reposts: 0.31,
      replies: 0.05,
      steps: [600, 1800, 3600, 7200],
    },
  }),
  C("@HalcyonAir wrong meal again. I preordered vegetarian (it's on my booking) and the crew said 'we only have chicken'. 7 hour flight."),
  C("My refund was 'approved' 30 days ago. Money not received. Bank says nothing incoming. @HalcyonAir approved ≠ paid"),
  C(
    "{fl} pilot: 'small technical issue, 20 minutes'. 3 hours later we're still at the gate and they're handing out pretzels like it's an apology. @HalcyonAir",
  ),
  C('@HalcyonAir how is it that I get a marketing email from you every single day but not one email telling me my flight was moved by 6 hours'),
  C('Got home, bag got home 4 days later, and someone had clearly been through it. Zip broken, stuff missing. @HalcyonAir claim {ref}'),
  C('@HalcyonAir cancelled my flight and rebooked me via a 14 hour layover without asking. The original trip was 3 hours.'),
  C("asked the desk at {ap} about my delayed bag, she said 'check the app'. the app says 'contact the desk'. I am AT the desk #halcyonair"),
  C("When your flight is 4 hours late and the only update is the gate screen changing from 14:20 to 'LATER'. Thanks @HalcyonAir, very informative"),
  C('one of the two toilets on {fl} was out of order from takeoff. 160 people, one toilet. @HalcyonAir'),
  C("I can't even complain properly because the Halcyon Air complaint form times out after 10 minutes and deletes everything. Typed it 3 times now."),
  C('Woke up to an email: my 8am {fl} is now 6:10am. No call, nothing in the app until this morning. @HalcyonAir some of us sleep'),
  C("Incredible customer service from @HalcyonAir today: 45 min on hold, 'let me transfer you', dial tone. 10/10 would not recommend"),
  C('@HalcyonAir bag claim at {ap}: carousel stopped, half the flight still waiting, no staff anywhere. 50 minutes and counting'),
  C("Hey @HalcyonAir the 'manage booking' page has been showing a spinning plane for 20 minutes. It's very cute. It's also useless."),
  C('another day, another @HalcyonAir delay. third one this month. starting to think the timetable is more of a suggestion'),
  C("Missed my return because the outbound was cancelled and Halcyon's system auto-cancelled the whole booking. Now I have no way home."),
  C('@HalcyonAir I DMed you photos of my damaged car seat yesterday. Seen at 14:03. Nothing since.'),
  C("No food left on {fl} by row 12. It's a 5 hour flight and they'd sold out of everything, even the crisps. @HalcyonAir plan better"),
  C(
    "@HalcyonAir booked my dog in cabin months ago, confirmed, paid. At the counter: 'we have no record'. My dog and I are now at the airport with nowhere to go.",
  ),
  C('Baggage desk at {ap} closed at 10pm last night. Our delayed flight landed at 10:40. So where exactly do we report missing bags @HalcyonAir?'),
  C('HALCYON AIR CANCELLED MY FLIGHT FOR THE THIRD TIME THIS MONTH!!! I AM SO DONE 😡😡'),
  C('@HalcyonAir WHERE. IS. MY. BAG. {days} days!!!'),
  C('pleeease @halcyonair just answer the phone 🙏 been trying since 8am'),
  C("I asked for a blanket on {fl} and the flight attendant said 'buy one'. It was 14°C in the cabin. @HalcyonAir"),
  C('why does the @HalcyonAir app log me out every time I open it. 3 password resets this week. I just want my boarding pass'),
  C('Overnight delay at {ap}, Halcyon Air put us in a hotel with no hot water and a broken lock on the door. Sent photos to customer care, no answer'),
  C("The tannoy at gate {gate} has said 'Halcyon Air apologises for the delay' 9 times. Not once has it said WHY or how long"),
  C("@HalcyonAir the self bag drop at {ap} rejected my bag 4 times for 'overweight' at 19kg. Limit is 23kg. Queued for a person for 40 min"),
  C("When @HalcyonAir says 'your feedback matters to us' and then closes the case without a reply 🙄 case {ref}"),
  C("flew {fl}, my seat's power socket sparked when I plugged my phone in. told the crew, they just said 'don't use it'. @HalcyonAir maybe fix it?"),
  C(
    "{hrs} hours delayed on {fl}. The crew timed out so now we wait for a new crew. Who is coming from another city. @HalcyonAir didn't you know this 3 hours ago?",
  ),

  // Edge cases
  C('@HalcyonAir 😡😡😡'),
  C('@HalcyonAir 3h delay at {ap} &amp; the service desk is closed. <b>Nobody</b> is telling us anything. Food vouchers? &quot;Not today&quot;. #HalcyonAir'),
  C(
    "@HalcyonAir I've tried DMs, email, the web form and the phone line, so here it is in public. On the 14th my flight {fl} from {ap} was cancelled at the gate after we had already boarded and sat for two hours. No reason given beyond 'operational'. We were told to go to the transfer desk, where one agent was handling about 150 people. After three hours in that line I was rebooked on a flight two days later, with no hotel and no meal voucher, and told to 'keep the receipts'. I kept the receipts. Two nights at an airport hotel, meals and a taxi came to {amt}. I submitted the claim the same week with every receipt scanned, exactly as your website asks. Since then: one automated email confirming receipt, one email asking me to resubmit the same documents (I did), and silence. My checked bag, meanwhile, went on the original route without me and sat in a storage room for nine days. When it finally arrived the lock was broken and a pair of shoes was missing. That is a separate claim, ref {ref}, also unanswered. I have spent roughly eleven hours on hold across six calls. Twice the line disconnected when I reached the front of the queue. Once an agent promised a supervisor would call me within 48 hours. That was three weeks ago. I'm not asking for anything unreasonable: reimburse the costs your own policy says you cover, settle the bag claim, and have one human being own this case from start to finish instead of me explaining it from zero every time. I've flown with you for eight years. Give me a reason to keep doing that.",
  ),

  // Non-English complaints (company fault)
  C('@HalcyonAir llevo 3 horas en el aeropuerto de Madrid y nadie nos dice nada del vuelo {fl}. ¿Hay alguien ahí? 😤', { lang: 'es', author: 'lucia' }),
  C('Koffer kaputt, Griff abgerissen, und am Schalter in Frankfurt hieß es nur „Formular online ausfüllen“. Danke für nichts, @HalcyonAir.', {
    lang: 'de',
    author: 'jonas',
  }),
  C('@HalcyonAir já são 5 semanas esperando o reembolso do voo cancelado para Lisboa. Ninguém responde aos e-mails.', { lang: 'pt', author: 'joao' }),
  C('@HalcyonAir حقيبتي لم تصل منذ ثلاثة أيام ولا أحد يرد على اتصالاتي. رقم الملف {ref}', { lang: 'ar', author: 'layla' }),

  // -------------------------------------------------------------------------
  // Severity
  // -------------------------------------------------------------------------
  SV(
    "Strong burning smell in the cabin on {fl} just after takeoff. Crew said it's 'normal'. It is not normal. Several people coughing. @HalcyonAir please explain",
  ),
  SV(
    "I told 3 different crew members on {fl} about my son's severe peanut allergy. They still handed out peanuts to the whole row and said 'just don't eat them'. He needed his EpiPen. @HalcyonAir",
  ),
  SV('My lawyer will hear about this, @HalcyonAir. You denied boarding to my 81 year old father with a valid ticket and left him alone at {ap} for 6 hours.'),
  SV('@HalcyonAir 4 months, 9 emails, 0 euros. The EU261 compensation is €600 and you know it. Filing in small claims court on Monday. Ref {ref}.'),
  SV(
    "Everyone got off {fl} 40 minutes ago. I'm still in my seat because nobody brought my wheelchair. The crew are cleaning around me. @HalcyonAir this is humiliating.",
    {
      at: 3320,
      author: 'rosa',
      growth: {
        likes: 12400,
        reposts: 0.38,
        replies: 0.07,
        steps: [600, 1800, 3600, 7200, 14400],
      },
    },
  ),
  SV(
    "We are a deaf couple. The gate agent refused to let us board @HalcyonAir {fl} because we 'might not understand the safety instructions'. We fly every month. This is discrimination.",
    { author: 'sian' },
  ),
  SV(
    "@HalcyonAir your app just showed me someone else's booking. Full name, passport number, phone number, the lot. I didn't do anything weird, just opened 'My trips'. Screenshot (redacted): {url}",
    {
      at: 5880,
      author: 'bentran',
      growth: {
        likes: 2100,
        reposts: 0.46,
        replies: 0.1,
        steps: [600, 1800, 3600, 7200],
      },
    },
  ),
  SV(
    "Got an email from Halcyon Air with ANOTHER passenger's boarding pass and passport details attached. Whoever you are, Mr D. Osei, your data is out there. @HalcyonAir fix this",
  ),
  SV('The oxygen mask panel above row 19 on {fl} is hanging open and the crew taped it shut with duct tape?? Is that allowed?? @HalcyonAir'),

  // -------------------------------------------------------------------------
  // Complaints where the company is NOT at fault
  // -------------------------------------------------------------------------
  CU('Missed my @HalcyonAir flight because I spent 40 minutes at the wrong terminal. Totally my fault but the change fee still stings'),
  CU("forgot my passport at home. in the taxi back now. the halcyon air desk lady was very nice about it tbh, I'm just an idiot 🤦"),
  CU(
    "@HalcyonAir I booked the wrong date (June 7 instead of July 7) and the change fee is more than the ticket. I know it's on me but is there anything you can do?",
  ),
  CU("Overslept. Missed my {fl}. Now @HalcyonAir says I'm a no-show and my return is cancelled too?? how is that fair"),
  CU("Got to the gate 5 minutes after it closed. They wouldn't let me on. I get it, rules are rules, but ugh. #HalcyonAir"),
  CU('My carry-on was 3cm too big for the halcyon air sizer and I had to pay {amt}. Measured it at home without the wheels. Lesson learned'),
  CU('bought the basic fare with no checked bag, turned up with a suitcase, surprised pikachu face when @HalcyonAir charged me at the desk'),
  CU('I booked through a third-party site and typed my email wrong, so I never got the schedule change. My flight left yesterday. @HalcyonAir help??'),
  CU("@HalcyonAir my ESTA wasn't approved in time so you couldn't board me. I know it's the rules. Just gutted."),
  CU("Used my nickname on the booking instead of my passport name. Now I'm at the desk with 'Bobby' on the ticket and 'Robert' on my passport. #HalcyonAir"),
  CU('I left my laptop in the seat pocket on {fl} 🤦 @HalcyonAir is there a lost and found?'),
  CU("I bought a non-refundable fare without reading the fine print. Now I can't go and Halcyon Air won't refund. Fair enough, still painful."),
  CU('@HalcyonAir I booked {ap} instead of {ap2}. My own mistake. Any chance of switching without paying the full fare difference?'),
  CU(
    '@HalcyonAir refused at the counter because my passport expires in 5 months and the destination needs 6. Should have checked. Can I at least get the taxes back?',
  ),
  CU('@HalcyonAir closed the gate while I was literally buying a sandwich 30 metres away. 12 minutes before departure! Absolute joke', {
    at: 15840,
    author: 'chad',
    growth: {
      likes: 420,
      reposts: 0.12,
      replies: 0.95,
      steps: [600, 1800, 3600],
    },
  }),
  TP("Air traffic control strike in France means our @HalcyonAir flight to Madrid is routing the long way round. Not the airline's fault but 2 extra hours 😩"),
  TP('ATC strike again. Third Halcyon flight of mine cancelled this summer because of it. Not blaming the crew, just exhausted'),
  TP("security line at LAX is over an hour. missed my halcyon air flight by 6 minutes. TSA, I'm looking at you"),
  TP(
    'The hotel @HalcyonAir partnered with for our delay voucher had no record of us and gave the rooms away. Hotel says call the airline, airline says call the hotel.',
  ),
  TP(
    'Booked via FlyCheapNow and they never passed my seat request or my bag to Halcyon Air. Spent an hour at the desk sorting it out. Never booking through an agency again',
  ),
  TP("my travel agent booked me on the wrong day and @HalcyonAir wants a fee to change it. agency isn't picking up. great"),
  TP('Fog at SFO, 40 minutes circling. Captain has been great at keeping us updated. Just want to land. #HalcyonAir'),
  TP("Airport power cut at {ap}, jet bridges don't work so we're stuck on the plane. Not Halcyon Air's fault but the crew's running out of water"),
  TP('Passport control at LHR took 2 hours so I missed my @HalcyonAir connection. Border staffing is a joke'),
  TP('@HalcyonAir thunderstorms in Atlanta grounded everything. Rebooking line is long but moving. Hang in there everyone'),
  TP("The airport parking company lost my car keys while I was away on my halcyon air trip. Unrelated to the airline, I'm just mad and needed to tell someone"),
  TP("Someone in row 14 let their kid kick my seat for the entire @HalcyonAir flight to {ap}. Not the airline's fault. Parents, please"),
  TP("Bird strike on takeoff, we returned to {ap}. Everyone's fine, just waiting for another plane. Crew handled it really calmly #HalcyonAir"),
  TP("Baggage handlers' strike at {ap} means bags are a mess for every airline today, not just @HalcyonAir. Mine's somewhere under a pile"),
  TP('Heatwave in Phoenix, something about the air being too thin for a full takeoff weight. {fl} delayed until evening. Science is annoying #HalcyonAir'),
  TP("Grève du contrôle aérien en France : notre vol @HalcyonAir pour Paris est annulé. Ce n'est pas la faute de la compagnie, mais quelle galère…", {
    lang: 'fr',
    author: 'emilie',
  }),

  // -------------------------------------------------------------------------
  // Praise
  // -------------------------------------------------------------------------
  PR('Thanks @HalcyonAir for fixing my booking so fast over DM, 10 minutes start to finish 🙌', { win: [70, 200] }),
  PR("Bag was lost yesterday, delivered to my hotel at 7am today with a handwritten note. That's how you do it #HalcyonAir"),
  PR(
    'A flight attendant on {fl} noticed my gran was scared, sat with her for takeoff and held her hand. Gran is 91 and it was her first ever flight. Thank you @HalcyonAir 💛',
    {
      at: 1710,
      author: 'ellie',
      growth: {
        likes: 21800,
        reposts: 0.18,
        replies: 0.04,
        steps: [600, 1800, 3600, 7200, 14400],
      },
    },
  ),
  PR("Smoothest landing I've had in years, {fl} into {ap}. Whoever was flying, chef's kiss 👌 #HalcyonAir"),
  PR("Halcyon Air refunded my cancelled flight in 4 days. Didn't even have to chase. Shocked, honestly."),
  PR('shoutout to Marcus at the halcyon air desk in {ap} who rebooked me onto an earlier flight AND found me an aisle seat. legend'),
  PR('@HalcyonAir thank you for sorting out my double charge, the refund landed this morning.'),
  PR("New Halcyon Air seats are actually comfy?? Real legroom for a 6'3 man. Miracles happen"),
  PR('The wifi on @HalcyonAir worked the whole way across the country. Got a full day of work done. Who am I'),
  PR('My damaged suitcase got replaced within a week, no arguing. Respect @HalcyonAir'),
  PR('Early flight, the crew on {fl} were cheerful, coffee was hot, landed 20 min early. Good start to the day #HalcyonAir'),
  PR(
    'Travelling with a wheelchair is usually a nightmare. Today @HalcyonAir had everything ready at both ends, chair waiting at the aircraft door. Thank you.',
  ),
  PR('Left my phone on the plane, Halcyon Air lost & found had it back to me in 2 days. Faith restored'),
  PR('@HalcyonAir the DM team is quick today! Seat change done in 3 minutes.'),
  PR('not to be dramatic but the halcyon air cookies are the best thing about flying'),
  PR('Big thanks to the @HalcyonAir gate team at {ap} for holding the door after our late connection. We ran, you waited 🙏'),
  PR('Halcyon Air kept us updated every 15 min during the delay and handed out food vouchers before anyone asked. This is all I want from an airline'),
  PR('First time flying with my service dog on @HalcyonAir. Crew were brilliant and gave us a bulkhead row. 10/10'),
  PR('Thanks for the surprise upgrade on {fl} @HalcyonAir, birthday made ✨'),
  PR(
    "Flight got cancelled but the app rebooked me automatically on the next one and sent a hotel voucher before I'd even reached the desk. Impressed #HalcyonAir",
  ),
  PR('Credit to Halcyon: they called ME to say my bag had been found. Never had an airline do that.'),
  PR('the halcyon air crew sang happy birthday to a lady in row 8 and the whole plane joined in. wholesome content'),
  PR('@HalcyonAir your agent Priya stayed on the phone with me for 40 minutes to untangle a mess my travel agency made. Above and beyond.'),
  PR('Cabin on {fl} was spotless. Small thing but it matters. #HalcyonAir'),
  PR('Three flights with @HalcyonAir this month, three on-time departures. Keep it up'),
  PR("Got my compensation for the March delay today. Took a while but it's here. Thanks @HalcyonAir"),
  PR("Halcyon Air staff at {ap} walked an older man who'd missed his connection all the way to his next gate themselves. Saw it happen, lovely"),
  PR('wifi was down on the way out but @HalcyonAir refunded it without me even asking. nice touch'),
  PR('My special meal was there, correctly labelled, and hot. As a coeliac this never happens. Thank you @HalcyonAir'),
  PR('Captain on {fl} warned us about the turbulence before it happened, in plain English. Anxious flyer here, it helped massively #HalcyonAir'),
  PR("Shoutout to the Halcyon Air team at {ap} who found my kid's stuffed rabbit after we'd left and brought it out to arrivals. Tears (mine)"),
  PR('@HalcyonAir fixed the name typo on my ticket for free. I was bracing for a fee. Appreciate it'),
  PR('Halcyon Air app is so much better since the update. Boarding pass in my wallet, live gate changes. Finally.'),
  PR("honestly halcyon air economy beats some airlines' premium. the snack box alone"),
  PR('Landed at {ap} 25 min early on @HalcyonAir. Bags out in 10 min. Who are you and what have you done with air travel'),
  PR('To the flight attendant on {fl} who gave my crying baby a little plane sticker and me a glass of water: thank you 💛 #HalcyonAir'),
  PR('Complained last week about my broken seat, got a proper reply and miles credited. Good recovery @HalcyonAir'),
  PR('@HalcyonAir the lounge at {ap} is lovely. Quiet, and the coffee is proper coffee. Nice surprise'),
  PR('My refund is finally in! Thank you to whoever on the @HalcyonAir DM team actually escalated it.'),
  PR('The Halcyon Air crew dealt with a medical emergency on our flight so calmly. Passenger is fine. Total pros'),
  PR(
    "I was ready to be furious about the delay but the pilot walked the aisle and answered everyone's questions. That's how you calm a plane down #HalcyonAir",
  ),
  PR("Gotta say the new @HalcyonAir kids' menu is a hit. Mine ate everything. A first."),
  PR('The Halcyon Air gate agent spotted that my boarding pass had the wrong date before I did and fixed it in 2 minutes. Saved my trip'),
  PR("Thanks @HalcyonAir for putting us up in a nice hotel after the cancellation. Breakfast included. The kids think it's a holiday"),
  PR("The pilot on HA3417 apologised for a 20 min delay like it was a personal failing. Sir, it's fine. Lovely flight #HalcyonAir"),
  PR("@HalcyonAir good flight, good crew, my bag arrived. that's it, that's the post"),
  PR('Flew Halcyon Air for the first time. Legroom: good. Crew: friendly. Price: fine. Would do it again'),
  PR('Credit where due: @HalcyonAir answered my DM about the lost bag within an hour and the bag was at my door by dinner.'),
  PR('The halcyon air agent at check-in saw I was flying to a funeral and quietly gave me a row to myself. Small kindness, meant a lot.'),
  PR("Honestly the @HalcyonAir crew on {fl} handled a very drunk passenger better than I've ever seen. Calm, firm, done. Respect"),
  PR('Großes Lob an die Crew von Halcyon Air auf dem Flug nach Frankfurt – super freundlich, und pünktlich gelandet! #HalcyonAir', {
    lang: 'de',
    author: 'katrin',
  }),

  // -------------------------------------------------------------------------
  // Questions
  // -------------------------------------------------------------------------
  Q('what time does the Halcyon Air lounge at Gate 12 open? landing at 5am and need coffee', { win: [70, 200] }),
  Q('@HalcyonAir are e-bike batteries allowed in checked bags or only carry-on?'),
  Q('@HalcyonAir how early should I get to {ap} for an international flight?'),
  Q('Can I bring a birthday cake in my hand luggage on @HalcyonAir? asking for a very important 5 year old'),
  Q('Does Halcyon Air have power sockets in economy on the A321s?'),
  Q("@HalcyonAir is there a way to add my known traveler number after booking? can't find it in the app"),
  Q('Flying @HalcyonAir for the first time next week. Is food included on a 3 hour flight or should I pack snacks?'),
  Q("@HalcyonAir what's the checked bag weight limit on a basic fare? 23kg or 20kg?"),
  Q('does anyone know if halcyon air lets you pick seats for free at check-in?'),
  Q('@HalcyonAir can I take my cat in the cabin to Lisbon? What size carrier?'),
  Q('is the halcyon air app down or is it just me?'),
  Q('@HalcyonAir how do I request wheelchair assistance for my mum? The form asks for a booking number and her son booked it'),
  Q("@HalcyonAir do miles expire if I don't fly for a year?"),
  Q('Hi @HalcyonAir, can my 16 year old fly alone or does she need the unaccompanied minor service?'),
  Q("Is Halcyon Air's premium economy worth it on a 6 hour flight? opinions pls"),
  Q('@HalcyonAir do you still give out the free snack box on short flights or did that stop?'),
  Q('Which terminal does Halcyon Air use at JFK? Getting conflicting info online'),
  Q("@HalcyonAir can I change the name on a ticket to my husband's? I can't go anymore"),
  Q('hey @HalcyonAir, is there wifi on the Boston to Denver route?'),
  Q('@HalcyonAir does a ski bag count as my checked bag or is it extra?'),
  Q('Do I need to print my Halcyon Air boarding pass or is the app fine at {ap}?'),
  Q('@HalcyonAir are there any direct flights to Lisbon from Boston this summer?'),
  Q("anyone flown the new halcyon air route to Dublin? how's the plane"),
  Q('@HalcyonAir my connection at {ap} is only 50 min. Is that enough or should I rebook?'),
  Q("@HalcyonAir what's your policy on breast milk and pumping equipment in carry-on?"),
  Q('Does #HalcyonAir do student discounts? Asking for my broke self'),
  Q("@HalcyonAir can I use my travel voucher to pay for someone else's ticket?"),
  Q("is halcyon air's customer service line open 24h? need to change a flight for tomorrow"),
  Q('@HalcyonAir do you offer a bassinet on transatlantic flights? Travelling with a 4 month old in September'),
  Q('Hey @HalcyonAir, is gate {gate} at {ap} airside or do I have to go through security again for my connection?'),
  Q('@HalcyonAir can I bring my own food on board?'),
  Q('How do I get a proper receipt for my Halcyon Air flight for work expenses? The email only has the itinerary'),
  Q('@HalcyonAir if I upgrade with miles do I still earn miles on that flight?'),
  Q('does halcyon air let you check in a surfboard? heading to Portugal 🏄'),
  Q('@HalcyonAir how many days before departure does online check-in open?'),
  Q("What's the best seat on the Halcyon Air 737 for legroom? is the exit row worth paying for?"),
  Q("@HalcyonAir I'm diabetic. Can I carry insulin and needles in my hand luggage? Do I need a doctor's letter?"),
  Q('Does anyone know if Halcyon Air does status matches from other airlines?'),
  Q("@HalcyonAir what happens to my connecting flight if the first one is delayed? They're on the same booking."),
  Q('@HalcyonAir can I pay for extra legroom at the gate or only online?'),
  Q('¿Alguien sabe si Halcyon Air deja llevar el carrito del bebé hasta la puerta de embarque? Viajo sola con mi hija el viernes.', {
    lang: 'es',
    author: 'carmen',
  }),
  Q('@HalcyonAir 来週の成田行きの便で、モバイルバッテリーは預け荷物に入れても大丈夫ですか？機内持ち込みのみでしょうか。', { lang: 'ja', author: 'yuki' }),

  // -------------------------------------------------------------------------
  // Noise: passing mentions, ads, jokes, news, RTs
  // -------------------------------------------------------------------------
  NZ('Halcyon Air spring sale: Boston to Lisbon from $389 return. Book by Sunday ✈️ https://example.com/deals/halcyon-air-spring', {
    at: 2210,
    author: 'deals',
    key: 'sale',
  }),
  NZ('', { win: [2400, 6000], rtOf: 'sale' }),
  NZ('Just landed in Denver with @HalcyonAir. Now for the real journey: finding the rental car shuttle.'),
  NZ("my dad's Halcyon Air model plane collection is taking over the garage. send help"),
  NZ('Halcyon Air adds a new route to Reykjavik from Boston starting in June https://example.com/news/halcyon-air-reykjavik-route', { author: 'avgeek' }),
  NZ("Airport people-watching: a man just walked past in a full Halcyon Air pilot costume. It's not Halloween. Respect"),
  NZ('boarding a halcyon air flight rn, see you on the other side 👋'),
  NZ("The Halcyon Air safety video with the dancing flight attendants is stuck in my head. 'seatbelt, click, seatbelt, click'"),
  NZ('https://example.com/halcyonair/news/20-new-jets'),
  NZ('Why is every airline called something like Halcyon or Serenity when the experience is the exact opposite 😂'),
  NZ('#HalcyonAir window seat views over the Rockies today 🏔️ {url}'),
  NZ('Halcyon Air job fair at Logan next Saturday, hiring cabin crew and ground staff {url}', { author: 'jobs' }),
  NZ("Me: I'll sleep on the plane. Also me, on Halcyon Air, 6 hours later: 4 movies and 3 snack boxes"),
  NZ("Anyone else on the @HalcyonAir {fl} to {ap} today? I'm the one in the neon yellow hoodie, say hi"),
  NZ("RT @avgeek_daily: Spotted: Halcyon Air's new livery on an A321neo at SFO this morning. Clean. https://example.com/photos/a321neo-livery"),
  NZ('Halcyon Air Q1: revenue up 8%, on-time performance 79% vs 76% industry average. Full breakdown: https://example.com/markets/halcyon-air-q1', {
    author: 'transit',
    win: [600, 6000],
  }),
  NZ('The Halcyon Air hold music is an absolute banger and I will not be taking questions'),
  NZ("Ep. 42: we rank every airline's free snack. The Halcyon Air cookie is a strong contender https://example.com/pod/ep42", { author: 'pod' }),
  NZ("The Halcyon Air ad on the subway has a very smug cloud on it. I don't trust that cloud"),
  NZ('Heading home on halcyon air tonight. 2 weeks of Lisbon, 0 regrets'),
  NZ("Fun fact: 'halcyon days' means a period of calm. The Halcyon Air naming team had jokes."),
  NZ('Win 2 return tickets with @HalcyonAir! Follow + RT to enter. T&Cs: https://example.com/win/halcyon-air', { author: 'give' }),
  NZ("RT @HalcyonAir: We're hiring! Join our cabin crew team in Boston and Denver. https://example.com/careers/cabin-crew"),
  NZ("My kid has renamed our cat 'Halcyon Air' because 'he's always flying off the couch'. ok"),
  NZ("Travel tip: the Halcyon Air red-eye from SFO to BOS is the cheapest way to lose a night's sleep. Still worth it for the price"),
  NZ('@HalcyonAir my mum flies with you tomorrow for the first time, she says hi 👋'),
  NZ('Wedding party of 14 on the Halcyon Air flight to Miami. The bride is wearing her veil with the seatbelt sign on. Iconic'),
  NZ('anyone know a decent coffee place near the halcyon air gates at {ap}?'),
  NZ('Halcyon Air signs a sustainable aviation fuel deal. Real progress or greenwashing? Our take: https://example.com/analysis/halcyon-air-saf', {
    author: 'green',
  }),
  NZ("Just realised I've flown Halcyon Air 31 times this year. Where's my commemorative mug @HalcyonAir"),
  NZ('Sunset from the wing over Lake Michigan 🌅 no filter #HalcyonAir {url}'),
  NZ('Flew Halcyon Air business class to Lisbon for the channel. Full review Friday. Spoiler: the bed is shorter than me https://example.com/v/lisbon-biz', {
    author: 'leo',
  }),
  NZ("Me explaining to my nan that #HalcyonAir isn't a hair salon"),
];

// ---------------------------------------------------------------------------
// Engagement helpers
// ---------------------------------------------------------------------------

function initialEngagement(followers) {
  const quiet = followers < 5000 && rand() < 0.55;
  if (quiet) return { likes: 0, reposts: 0, replies: 0 };
  const scale = Math.sqrt(followers) / 12;
  const likes = Math.floor(rand() * rand() * scale);
  const reposts = Math.floor(likes * rand() * 0.35);
  const replies = Math.floor(likes * rand() * 0.25) + (rand() < 0.08 ? 1 : 0);
  return { likes, reposts, replies };
}

const SHAPES = [0.035, 0.18, 0.45, 0.75, 0.92, 1];

function buildGrowth(g, start) {
  const n = g.steps.length;
  // take the last n fractions of the curve, jitter them, keep monotone, end at 1
  const base = SHAPES.slice(SHAPES.length - n);
  let prev = 0;
  const fractions = base.map((f, i) => {
    const jittered = i === n - 1 ? 1 : Math.min(1, f * (0.85 + rand() * 0.3));
    prev = Math.max(prev, jittered);
    return prev;
  });
  const totals = {
    likes: g.likes,
    reposts: Math.round(g.likes * g.reposts),
    replies: Math.round(g.likes * g.replies),
  };
  const last = { ...start };
  return g.steps.map((after, i) => {
    const snap = { after };
    for (const k of ['likes', 'reposts', 'replies']) {
      const v = Math.round(totals[k] * fractions[i] * (i === n - 1 ? 1 : 0.95 + rand() * 0.1));
      last[k] = Math.max(last[k], Math.min(v, totals[k]));
      snap[k] = last[k];
    }
    return snap;
  });
}

// ---------------------------------------------------------------------------
// Build the stream
// ---------------------------------------------------------------------------

function truncateForRt(text, max = 110) {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return `${cut.slice(0, cut.lastIndexOf(' '))}…`;
}

const posts = [];
const byKey = new Map();
const takenSeconds = new Set();

function placeAt(second) {
  let s = second;
  while (takenSeconds.has(s)) s += 1;
  takenSeconds.add(s);
  return s;
}

// Reserve fixed times first so windowed/background posts never collide with them.
for (const spec of SPECS) if (spec.at !== undefined) takenSeconds.add(spec.at);

for (const spec of SPECS) {
  let at;
  if (spec.at !== undefined) at = spec.at;
  else if (spec.win) at = placeAt(int(spec.win[0], spec.win[1]));
  else at = placeAt(int(BACKGROUND_FROM, STREAM_SECONDS - 60));

  const author = spec.author ? AUTHORS[spec.author] : randomAuthor();
  if (!author) throw new Error(`Unknown author ${spec.author}`);

  const post = {
    spec,
    at,
    author,
    text: spec.rtOf ? null : fill(spec.text),
    lang: spec.lang ?? 'en',
    ...initialEngagement(author.followers),
  };
  posts.push(post);
  if (spec.key) byKey.set(spec.key, post);
}

// Retweet-style posts copy the (resolved) original text.
for (const post of posts) {
  if (!post.spec.rtOf) continue;
  const original = byKey.get(post.spec.rtOf);
  if (!original) throw new Error(`Unknown rtOf ${post.spec.rtOf}`);
  if (post.at <= original.at) post.at = placeAt(original.at + int(60, 400));
  post.text = `RT @${original.author.handle}: ${truncateForRt(original.text)}`;
  post.likes = Math.min(post.likes, 2);
  post.reposts = 0;
  post.replies = 0;
}

posts.sort((a, b) => a.at - b.at);

const lines = [];
const labels = {};
posts.forEach((post, i) => {
  const id = `demo-${String(i + 1).padStart(4, '0')}`;
  const start = {
    likes: post.likes,
    reposts: post.reposts,
    replies: post.replies,
  };
  const growth = post.spec.growth ? buildGrowth(post.spec.growth, start) : null;
  const record = {
    id,
    at: post.at,
    author: {
      handle: post.author.handle,
      name: post.author.name,
      followers: post.author.followers,
    },
    text: post.text,
    lang: post.lang,
    likes: post.likes,
    reposts: post.reposts,
    replies: post.replies,
    growth,
  };
  lines.push(JSON.stringify(record));
  labels[id] = {
    kind: post.spec.kind,
    fault: post.spec.fault,
  };
});

mkdirSync(dirname(OUT_FILE), { recursive: true });
writeFileSync(OUT_FILE, `${lines.join('\n')}\n`);
writeFileSync(LABELS_FILE, `${JSON.stringify(labels, null, 2)}\n`);

console.log(`wrote ${lines.length} posts to ${OUT_FILE}`);
console.log(`wrote labels to ${LABELS_FILE}`);
