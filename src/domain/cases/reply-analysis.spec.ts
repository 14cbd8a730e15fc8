import {
  comparableText,
  deriveReplyKind,
  detectApology,
  findFollowUpPromise,
  findNearRepeat,
  parseDueTime,
  replySimilarity,
  type ReplyKind,
} from './reply-analysis';

// A Tuesday, noon UTC.
const now = new Date('2026-11-24T12:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const later = (milliseconds: number): Date => new Date(now.getTime() + milliseconds);

describe('detectApology', () => {
  it.each([
    // The and the brief's real apologies.
    "we're sorry we lost your bag",
    "that's on us, we apologise",
    "I'm so sorry, we got this wrong",
    "Our apologies for the delay, that shouldn't have happened",
    'we apologise for cancelling your flight',
    "Sorry for the wait, that's our mistake",
    // Our own.
    'We apologize for the double charge on your card.',
    'Please accept our sincere apologies for the mix-up with your order.',
    "We can't apologise enough for how this was handled.",
    'My bad, I sent you the wrong link.',
    'Sorry to keep you waiting so long.',
    'We regret the delay to your refund.',
    "We're really sorry.",
    "Sorry about that, we'll fix it today",
    // Sympathy or a courtesy sorry counts when the reply owns the failure.
    "Sorry to hear that! We lost your bag and that's on us.",
    "Sorry, that's our mistake. Can you DM us your booking ref?",
    // Spelling, case, curly apostrophes, emoji and spacing do not matter.
    'WE’RE   SO  SORRY 😞🙏 we lost your bag',
    'we\u2019re sorry\n\nwe lost your bag',
  ])('a real apology: %s', (text) => {
    const verdict = detectApology(text);
    expect(verdict.apology).toBe(true);
    expect(verdict.reason).toMatch(/^(owns the failure|apologises): "/);
  });

  it.each<[string, RegExp]>([
    // The and the brief's non-apologies.
    ['sorry you feel that way', /blames the customer's feelings/],
    ['we regret any inconvenience you may have experienced', /hedged apology: "any inconvenience"/],
    ['we apologise if you were upset', /conditional apology/],
    ['sorry for any inconvenience this may have caused', /hedged apology: "any inconvenience"/],
    ['sorry, but our policy is that refunds take 10 working days', /"sorry, but" defends/],
    ["we're not sorry", /negated/],
    ['sorry, can you DM us your booking ref?', /courtesy/],
    ["We're sorry to hear that", /sympathy, not an apology/],
    // Our own.
    ['We are NOT sorry about this decision.', /negated/],
    ['We have nothing to apologise for here.', /negated/],
    ['No need to apologise! We will sort it out.', /negated/],
    ["Sorry for the delay, but it wasn't our fault.", /denies fault: "wasn't our fault"/],
    ['The storm is beyond our control, sorry for the disruption.', /denies fault: "beyond our control"/],
    ['If anyone was affected by the outage, we apologise.', /conditional apology/],
    ["I'm sorry you're upset with the outcome", /blames the customer's feelings/],
    ['We regret to inform you that your flight is cancelled.', /a formula, not an apology/],
    ["We're sorry you had to wait so long.", /sympathy, not an apology/],
    ['Sorry! What is your order number?', /courtesy/],
    ['Apologies for any confusion caused.', /hedged apology: "any confusion"/],
    ["That's on us. We'll rebook you now.", /admits fault but never says sorry/],
    ["Thanks for reaching out, we're looking into it.", /no apology/],
  ])('not an apology: %s', (text, reason) => {
    const verdict = detectApology(text);
    expect(verdict.apology).toBe(false);
    expect(verdict.reason).toMatch(reason);
  });

  it('quotes the words behind the verdict', () => {
    expect(detectApology("we're sorry we lost your bag").reason).toBe('owns the failure: "we\'re sorry we lost your bag"');
    expect(detectApology('sorry you feel that way').reason).toBe('a non-apology: "sorry you feel that way" blames the customer\'s feelings');
  });

  it('finds the real apology among other uses of "sorry"', () => {
    expect(detectApology("We're sorry to hear that. We apologise for losing your bag.").apology).toBe(true);
    expect(detectApology('Sorry, can you DM us? We apologise for the mix-up with your seat.').apology).toBe(true);
  });

  it('reads a conditional only next to the apology', () => {
    expect(detectApology("We're sorry we lost your bag and we'll check if it has arrived.").apology).toBe(true);
  });
});

describe('deriveReplyKind', () => {
  it.each<[string, boolean, ReplyKind]>([
    ["we're sorry we lost your bag", false, 'apology'],
    ["we're sorry we lost your bag", true, 'apology'],
    ['Good news: your bag is on its way to you.', true, 'resolution'],
    ["We've refunded you in full.", true, 'resolution'],
    ['Your bag has been found and will be delivered tonight.', false, 'resolution'],
    ['Your flight has been rebooked for 9am tomorrow.', true, 'resolution'],
    ['I can confirm the charge was reversed and your account is all sorted now.', true, 'resolution'],
    ['The app should now work again after the update.', true, 'resolution'],
    ["Thanks for reaching out, we're looking into this now.", false, 'acknowledgement'],
    ["Thanks for reaching out, we're looking into this now.", true, 'update'],
    ["We'll get it fixed as soon as we can.", true, 'update'],
    ["Once your bag is found we'll let you know.", true, 'update'],
    ["Your refund hasn't been processed yet, we're chasing it.", true, 'update'],
    ["We're working to get this resolved.", true, 'update'],
    // A non-apology is not an apology, so it takes the next kind that fits.
    ['Sorry for any inconvenience this may have caused.', false, 'acknowledgement'],
    ['Sorry for any inconvenience, your refund has been processed.', true, 'resolution'],
  ])('%s (acknowledged: %s) is a %s', (text, acknowledged, kind) => {
    expect(deriveReplyKind(text, { acknowledged })).toBe(kind);
  });
});

describe('findFollowUpPromise', () => {
  it.each<[string, Date]>([
    ["I'll find out and get back to you by tomorrow", later(DAY)],
    ['We will update you within 2 hours.', later(2 * HOUR)],
    ["We'll get back to you in 30 minutes.", later(30 * MINUTE)],
    ["We'll be in touch in a couple of days.", later(2 * DAY)],
    ['Let me check and get back to you within 24-48h.', later(48 * HOUR)],
    ["We'll update you within the hour.", later(HOUR)],
    ["I'll let you know in half an hour.", later(30 * MINUTE)],
    ["We'll let you know later today.", new Date('2026-11-24T23:59:00Z')],
    ["We'll update you tonight.", new Date('2026-11-24T23:59:00Z')],
    ['I will update you by Friday.', new Date('2026-11-27T17:00:00Z')],
    // Today is Tuesday and it is before 17:00 UTC.
    ["You'll hear from us by Tuesday.", new Date('2026-11-24T17:00:00Z')],
    ['We will keep you posted by 5pm.', new Date('2026-11-24T17:00:00Z')],
    ["We'll get back to you before 09:30.", new Date('2026-11-25T09:30:00Z')],
    ["We'll get back to you next week.", later(7 * DAY)],
  ])('reads the due time in: %s', (text, dueAt) => {
    const promise = findFollowUpPromise(text, now, 24);
    expect(promise).not.toBeNull();
    expect(promise?.dueAt.toISOString()).toBe(dueAt.toISOString());
    expect(promise?.dueParsed).toBe(true);
    expect(promise?.description).toBe(text);
  });

  it.each(["I'll DM you once I hear back", "We'll get back to you.", 'Let me find out for you.', 'We will follow up with you as soon as we can.'])(
    'takes the policy default when no time is named: %s',
    (text) => {
      const promise = findFollowUpPromise(text, now, 6);
      expect(promise).toEqual({ description: text, dueAt: later(6 * HOUR), dueParsed: false });
    },
  );

  it.each([
    "We've refunded you.",
    'Thanks for your patience!',
    'Please let us know or get in touch if anything else comes up.',
    "Feel free to reach out, we'll be here.",
    'We will not be able to update you on this.',
    "We'll look into it.",
    'Your flight leaves in 2 hours.',
    '',
  ])('finds no promise in: %s', (text) => {
    expect(findFollowUpPromise(text, now, 24)).toBeNull();
  });

  it('describes the promising sentence only', () => {
    const promise = findFollowUpPromise("Sorry for the wait! I'll chase the baggage team and DM you within 3 hours. Thanks for your patience.", now, 24);
    expect(promise).toEqual({ description: "I'll chase the baggage team and DM you within 3 hours.", dueAt: later(3 * HOUR), dueParsed: true });
  });

  it('prefers the promising sentence that names a time', () => {
    const promise = findFollowUpPromise("We'll get back to you. Expect an update within 4 hours.", now, 24);
    expect(promise).toMatchObject({ description: 'Expect an update within 4 hours.', dueParsed: true });
    expect(promise?.dueAt.toISOString()).toBe(later(4 * HOUR).toISOString());
  });

  it('trims a long description to 200 characters', () => {
    const text = `We'll get back to you by tomorrow about ${'the missing suitcase and '.repeat(12)}everything else.`;
    const promise = findFollowUpPromise(text, now, 24);
    expect(promise?.description.length).toBe(200);
    expect(promise?.description.startsWith("We'll get back to you by tomorrow about")).toBe(true);
    expect(promise?.description.endsWith('…')).toBe(true);
  });
});

describe('parseDueTime', () => {
  it('moves a clock time that has passed today to tomorrow', () => {
    expect(parseDueTime('by 9am', now)?.toISOString()).toBe('2026-11-25T09:00:00.000Z');
  });

  it('takes a weekday that is today but past 17:00 UTC as next week', () => {
    expect(parseDueTime('by Tuesday', new Date('2026-11-24T18:00:00Z'))?.toISOString()).toBe('2026-12-01T17:00:00.000Z');
  });

  it('gives "today" at least an hour when the UTC day is nearly over', () => {
    const lateEvening = new Date('2026-11-24T23:30:00Z');
    expect(parseDueTime('later today', lateEvening)?.toISOString()).toBe('2026-11-25T00:30:00.000Z');
  });

  it('takes the first time the sentence names', () => {
    expect(parseDueTime('within 2 hours, by tomorrow at the latest', now)?.toISOString()).toBe(later(2 * HOUR).toISOString());
  });

  it('reads nothing from a bare number', () => {
    expect(parseDueTime('by 2', now)).toBeNull();
    expect(parseDueTime('as soon as we can', now)).toBeNull();
  });
});

describe('findNearRepeat', () => {
  const acknowledgement = "Hi @sam_k, thanks for reaching out! We're looking into order #12345 now.";
  const resolution = 'Good news: your bag has been found and is on its way to you.';

  it.each<[string, string]>([
    ['a different handle and order number', "Hi @jo_b, thanks for reaching out! We're looking into order #98765 now."],
    ['punctuation and case', "hi @sam_k thanks for reaching out - we're looking into order #12345 now!!"],
    ['a link and an emoji', "Hi @sam_k, thanks for reaching out! We're looking into order #12345 now 🙏 https://t.co/x1y2"],
    ['a Mastodon handle and a booking reference', "Hi @sam@mastodon.social, thanks for reaching out! We're looking into order AB12CD now."],
  ])('flags a repeat that differs only in %s', (_difference, text) => {
    const repeat = findNearRepeat(text, [resolution, acknowledgement], 0.85);
    expect(repeat?.index).toBe(1);
    expect(repeat?.similarity).toBeGreaterThanOrEqual(0.85);
  });

  it('does not flag a genuinely different reply', () => {
    expect(findNearRepeat(resolution, [acknowledgement], 0.85)).toBeNull();
    expect(replySimilarity(resolution, acknowledgement)).toBeLessThan(0.6);
    expect(
      findNearRepeat("We're sorry for the delay, we're looking into your booking and will update you soon.", [acknowledgement, resolution], 0.85),
    ).toBeNull();
  });

  it('answers null with no earlier replies', () => {
    expect(findNearRepeat(acknowledgement, [], 0.85)).toBeNull();
  });

  it('picks the most similar earlier reply', () => {
    const earlier = [
      'Thanks for reaching out, we are looking into it.',
      "Hi @sam_k, thanks for reaching out! We're looking into your order now.",
      "Hi @sam_k, thanks for reaching out! We're looking into order #555 now.",
      resolution,
    ];
    const repeat = findNearRepeat(acknowledgement, earlier, 0.5);
    expect(repeat).toEqual({ index: 2, similarity: 1 });
    const loose = findNearRepeat("Hello, thanks for reaching out! We're looking into your order right now.", earlier, 0.5);
    expect(loose?.index).toBe(1);
    expect(loose?.similarity).toBeLessThan(1);
  });

  it('respects the threshold', () => {
    const reworded = "Hi, thanks for reaching out! We're looking into your order now.";
    const similarity = replySimilarity(reworded, acknowledgement);
    expect(findNearRepeat(reworded, [acknowledgement], similarity)).toEqual({ index: 0, similarity });
    expect(findNearRepeat(reworded, [acknowledgement], similarity + 0.01)).toBeNull();
  });

  it('compares replies with nothing but links or emoji by their text', () => {
    expect(findNearRepeat('🙏', ['🙏'], 0.85)).toEqual({ index: 0, similarity: 1 });
    expect(findNearRepeat('🙏', ['👍'], 0.85)).toBeNull();
  });

  it('normalises handles, links, numbers and punctuation away', () => {
    expect(comparableText("@Sam_K We're on it — ref AB12CD, see https://example.com/x?y=1 !!")).toBe('we re on it ref 0 see');
  });
});
