import { CareScorer } from './care-scorer';
import { FAULTS, POLARITIES, SEVERITY_FLAGS, type PostScore, type ScoringInput, type SeverityFlag } from './post-score';

const scorer = new CareScorer();

/** Scores a post and checks the contract, so every case below also checks well-formedness. */
function score(input: ScoringInput | string, using: CareScorer = scorer): PostScore {
  const result = using.score(typeof input === 'string' ? { text: input } : input);
  expectWellFormed(result, using);
  return result;
}

/** The contract every score keeps, whatever the text. */
function expectWellFormed(result: PostScore, using: CareScorer = scorer): void {
  expect(POLARITIES).toContain(result.polarity);
  expect(Number.isFinite(result.polarityScore)).toBe(true);
  expect(result.polarityScore).toBeGreaterThanOrEqual(-1);
  expect(result.polarityScore).toBeLessThanOrEqual(1);
  if (result.polarity === 'negative') expect(result.polarityScore).toBeLessThan(0);
  if (result.polarity === 'positive') expect(result.polarityScore).toBeGreaterThan(0);
  expect(result.complaintProbability).toBeGreaterThanOrEqual(0);
  expect(result.complaintProbability).toBeLessThanOrEqual(1);
  expect(result.complaint).toBe(result.complaintProbability >= 0.5);
  expect(using.categories).toContain(result.category);
  expect(FAULTS).toContain(result.fault);
  expect(result.faultConfidence).toBeGreaterThanOrEqual(0);
  expect(result.faultConfidence).toBeLessThanOrEqual(1);
  for (const flag of result.severity) expect(SEVERITY_FLAGS).toContain(flag);
  expect(new Set(result.severity).size).toBe(result.severity.length);
  expect(Number.isInteger(result.urgency)).toBe(true);
  expect(result.urgency).toBeGreaterThanOrEqual(0);
  expect(result.urgency).toBeLessThanOrEqual(100);
  expect(result.reasons.length).toBeGreaterThan(0);
  for (const reason of result.reasons) {
    expect(typeof reason).toBe('string');
    expect(reason.trim()).not.toBe('');
  }
  expect(result.language).toMatch(/^[a-z]{2,3}$/);
  expect(result.scorer).toBe(using.name);
  if (result.unscoredLanguage !== undefined) {
    expect(result.language).toBe(result.unscoredLanguage);
    expect(result.complaint).toBe(false);
  }
}

/** Reasons quote the words that drove them: `"still waiting"`. */
function expectReasonQuoting(result: PostScore, phrase: string): void {
  expect(result.reasons.some((reason) => reason.includes(`"${phrase}"`))).toBe(true);
}

function expectComplaint(text: string): PostScore {
  const result = score(text);
  expect({ text, complaint: result.complaint }).toEqual({ text, complaint: true });
  return result;
}

function expectNotComplaint(text: string): PostScore {
  const result = score(text);
  expect({ text, complaint: result.complaint }).toEqual({ text, complaint: false });
  return result;
}

function expectSeverity(text: string, flag: SeverityFlag): PostScore {
  const result = score(text);
  expect({ text, severity: result.severity }).toEqual({ text, severity: expect.arrayContaining([flag]) });
  return result;
}

describe('CareScorer', () => {
  it('is the care-v2 scorer with the default categories', () => {
    expect(scorer.name).toBe('care-v2');
    expect(scorer.categories).toEqual(
      expect.arrayContaining([
        'delay',
        'cancellation',
        'baggage',
        'billing_refund',
        'booking',
        'staff_conduct',
        'product_defect',
        'outage',
        'customer_service',
        'other',
      ]),
    );
    const result = score('still waiting for my bag');
    expect(result.scorer).toBe('care-v2');
    expect(result.language).toBe('en');
    expect(result.unscoredLanguage).toBeUndefined();
  });

  it('gives the same score for the same input', () => {
    const input = { text: 'on hold for 45 minutes and nobody answers!!', followers: 1200, metrics: { likes: 3, reposts: 1, replies: 0 } };
    expect(score(input)).toEqual(score(input));
  });

  describe('negation', () => {
    it('reads "not happy" as negative and a complaint', () => {
      const result = expectComplaint('not happy with the service');
      expect(result.polarity).toBe('negative');
    });

    it('reads "no problems at all" as no complaint', () => {
      const result = expectNotComplaint('no problems at all, smooth flight');
      expect(result.polarity).not.toBe('negative');
    });

    it('reads "never got a reply" as a complaint', () => {
      expectComplaint('never got a reply');
    });
  });

  describe('contrast', () => {
    it('lets what follows "but" outweigh what came before it', () => {
      const plain = scorer.features('The crew were lovely. The food was awful.').bag;
      const contrasted = scorer.features('The crew were lovely but the food was awful.').bag;
      expect(contrasted.get('sent:pos')).toBeLessThan(plain.get('sent:pos'));
      expect(contrasted.get('sent:neg')).toBeGreaterThan(plain.get('sent:neg'));
    });

    it('reads praise and bad news on either side of "but" as mixed, not sarcasm', () => {
      expect(scorer.features('the flight was late but the crew were brilliant').bag.get('cue:sarcasm')).toBe(0);
      expect(scorer.features('great, the flight is late again').bag.get('cue:sarcasm')).toBe(1);
    });

    it('sets a sentence opening with "but" against the one before it', () => {
      const plain = scorer.features('Thanks for the reply. My refund is still missing').bag;
      const contrasted = scorer.features('Thanks for the reply. But my refund is still missing').bag;
      expect(contrasted.get('cue:thanks')).toBeLessThan(plain.get('cue:thanks'));
    });

    it('reads "great but that still does not help me" as a complaint', () => {
      const result = expectComplaint('great but that still does not help me');
      expect(result.polarity).toBe('negative');
    });

    it('reads praise after "but" as praise', () => {
      const result = expectNotComplaint('the flight was a bit late but the crew were brilliant, thank you');
      expect(result.polarity).toBe('positive');
    });
  });

  describe('sarcasm', () => {
    it.each(['great, another delay', 'thanks for nothing', 'love waiting 3 hours on hold'])('reads "%s" as a sarcastic complaint', (text) => {
      const result = expectComplaint(text);
      expect(result.polarity).toBe('negative');
      expect(result.reasons.some((reason) => /sarcas/i.test(reason))).toBe(true);
    });

    it('does not call plain praise sarcasm', () => {
      const result = expectNotComplaint('great crew, lovely flight');
      expect(result.reasons.some((reason) => /sarcas/i.test(reason))).toBe(false);
    });
  });

  describe('emoji-only posts', () => {
    it('reads angry emoji as negative', () => {
      expect(score('😡😡😡').polarity).toBe('negative');
    });

    it('reads happy emoji as positive and not a complaint', () => {
      const result = expectNotComplaint('😍👍');
      expect(result.polarity).toBe('positive');
    });

    it.each(['🙂', '✈️', '🤷', '😡😍', '👍👎👍'])('scores "%s" without crashing', (text) => {
      expect(score(text).language).toBe('en');
    });
  });

  describe('non-English posts', () => {
    const personShouldRead = (result: PostScore): boolean => result.reasons.some((reason) => /person should/i.test(reason));

    it('marks a post the platform tags as Spanish and leaves it to a person', () => {
      const result = score({ text: 'mi vuelo está retrasado y nadie contesta', lang: 'es' });
      expect(result).toMatchObject({ unscoredLanguage: 'es', language: 'es', complaint: false });
      expect(personShouldRead(result)).toBe(true);
    });

    it("trusts the platform's tag over the words", () => {
      expect(score({ text: 'my flight is delayed and nobody answers', lang: 'es' })).toMatchObject({ unscoredLanguage: 'es', complaint: false });
      const english = score({ text: 'my flight is delayed and nobody answers', lang: 'en-GB' });
      expect(english.unscoredLanguage).toBeUndefined();
      expect(english.language).toBe('en');
      expect(english.complaint).toBe(true);
    });

    it.each([
      ['es', 'mi vuelo lleva tres horas de retraso y nadie nos da información'],
      ['fr', 'mon vol est annulé et personne ne répond depuis deux heures'],
      ['de', 'mein Flug ist seit drei Stunden verspätet und niemand hilft uns'],
    ])('detects untagged %s text and does not score it', (language, text) => {
      for (const lang of [undefined, null, 'und']) {
        const result = score({ text, lang });
        expect(result).toMatchObject({ unscoredLanguage: language, language, complaint: false });
        expect(personShouldRead(result)).toBe(true);
      }
    });

    it.each([
      ['ja', '私の荷物が届きません。どうなっていますか？'],
      ['ru', 'мой багаж потерян, никто не отвечает'],
    ])('detects %s script and does not score it', (language, text) => {
      const result = score(text);
      expect(result).toMatchObject({ unscoredLanguage: language, complaint: false });
      expect(personShouldRead(result)).toBe(true);
    });

    it('keeps English with a French name in it English', () => {
      const complaint = score('Jean-Pierre Dubois at the Paris desk was so rude and my flight is still delayed');
      expect(complaint.language).toBe('en');
      expect(complaint.unscoredLanguage).toBeUndefined();
      expect(complaint.complaint).toBe(true);
      const thanks = score('Thanks to François at the gate, merci beaucoup!');
      expect(thanks.language).toBe('en');
      expect(thanks.unscoredLanguage).toBeUndefined();
    });
  });

  describe('empty, long and marked-up text', () => {
    it.each(['', '   ', ' \n\t \n'])('reads %j as neutral and not a complaint', (text) => {
      const result = score(text);
      expect(result).toMatchObject({ polarity: 'neutral', complaint: false, severity: [] });
    });

    it('finishes a post of more than 10,000 characters with a well-formed score', () => {
      const text = 'I have been waiting for my refund for weeks and nobody answers. '.repeat(200);
      expect(text.length).toBeGreaterThan(10_000);
      expect(score(text).complaint).toBe(true);
      // score() checks each of these is well-formed.
      for (const other of ['x'.repeat(20_000), 'lorem ipsum dolor sit amet '.repeat(500), '😡'.repeat(6_000), '!'.repeat(12_000)]) score(other);
    });

    it('decodes entities and reads the words inside markup', () => {
      const result = expectComplaint('&lt;b&gt;still waiting&lt;/b&gt; for my refund &amp; nobody answers');
      expectReasonQuoting(result, 'still waiting');
      expectComplaint('<b>still waiting</b> for my refund &amp; nobody answers');
    });

    it('does not take "<3 ... >" for markup and lose the words between', () => {
      expectComplaint('love you guys <3 but the wifi has been down for 3 hours >:(');
    });

    it('reads curly apostrophes as straight ones', () => {
      const curly = 'I don’t get why nobody’s answered, I can’t reach anyone';
      const straight = "I don't get why nobody's answered, I can't reach anyone";
      expect(score(curly)).toEqual(score(straight));
      const words = scorer.features('don’t').reading.tokens.map((token) => token.word);
      expect(words).toEqual(['dont']);
      expect(scorer.features('don’t').reading.tokens[0].negator).toBe(true);
    });
  });

  describe('praise that mentions a solved problem', () => {
    it.each(['thanks for fixing it so fast', 'found my bag, thank you so much!'])('reads "%s" as positive, not a complaint', (text) => {
      const result = expectNotComplaint(text);
      expect(result.polarity).toBe('positive');
    });
  });

  describe('questions', () => {
    it.each(['what time does the lounge open?', 'do you fly to Lisbon in May?', 'will there be delays tomorrow?'])(
      'reads "%s" as a question, not a complaint',
      (text) => {
        const result = expectNotComplaint(text);
        expect(result.reasons.some((reason) => /question|asks/i.test(reason))).toBe(true);
      },
    );

    it('reads a question that complains as a complaint', () => {
      expectComplaint('why is my flight delayed again?');
    });
  });

  describe('complaints without negative words', () => {
    it.each(['day 3 and still no bag', 'on hold for 45 minutes', 'I want a refund', 'my order never arrived'])('reads "%s" as a complaint', (text) => {
      expectComplaint(text);
    });
  });

  describe('other industries', () => {
    it.each([
      ['charged twice for the same payment and nobody answers', 'billing_refund'],
      ['internet down again, third time this week', 'outage'],
    ])('reads "%s" as a %s complaint', (text, category) => {
      expect(expectComplaint(text).category).toBe(category);
    });

    it('reads a food delivery complaint', () => {
      expectComplaint('order arrived cold and missing items');
    });

    it('reads a software complaint as an outage or a defect', () => {
      expect(['outage', 'product_defect']).toContain(expectComplaint('app keeps crashing since the update').category);
    });
  });

  describe('severity', () => {
    it.each([
      ['smoke in the cabin', 'safety'],
      ['my lawyer will hear about this', 'legal_threat'],
      ["you sent my booking to someone else's email, data breach", 'privacy'],
      ['double charged', 'money_lost'],
      ['my elderly mother was left alone in a wheelchair', 'vulnerable_customer'],
      ["the gate agent treated me differently because I'm black, this is racist", 'discrimination'],
    ] as const)('flags "%s" as %s, a complaint, and says why', (text, flag) => {
      const result = expectSeverity(text, flag);
      expect(result.complaint).toBe(true);
      expect(result.reasons.some((reason) => reason.startsWith('severity'))).toBe(true);
    });

    it('quotes the words behind a flag', () => {
      expectReasonQuoting(score('smoke in the cabin'), 'smoke');
    });

    it('does not flag a negated danger', () => {
      expect(score('nobody was hurt, just a long delay').severity).toEqual([]);
    });

    it('gives no flag to an ordinary complaint', () => {
      expect(score('my flight is delayed').severity).toEqual([]);
    });
  });

  describe('urgency', () => {
    it.each([
      ['my flight is delayed', 'my flight is delayed and my elderly father has no medication'],
      ['the seat was a bit uncomfortable', 'smoke in the cabin, the seat was uncomfortable'],
      ['I want a refund', 'you charged me twice and I want a refund, my lawyer will hear about this'],
    ])('is higher for a severe complaint than a mild one: "%s" < "%s"', (mild, severe) => {
      const mildScore = score(mild);
      const severeScore = score(severe);
      expect(mildScore.complaint).toBe(true);
      expect(severeScore.complaint).toBe(true);
      expect(severeScore.severity.length).toBeGreaterThan(0);
      expect(severeScore.urgency).toBeGreaterThan(mildScore.urgency);
    });

    it('is higher when many people follow or share the post', () => {
      const text = 'my flight is delayed';
      const alone = score({ text, followers: 10, metrics: { likes: 0, reposts: 0, replies: 0 } }).urgency;
      const followed = score({ text, followers: 2_000_000 }).urgency;
      const shared = score({ text, followers: 10, metrics: { likes: 4_000, reposts: 900, replies: 300 } }).urgency;
      const both = score({ text, followers: 2_000_000, metrics: { likes: 4_000, reposts: 900, replies: 300 } }).urgency;
      expect(followed).toBeGreaterThan(alone);
      expect(shared).toBeGreaterThan(alone);
      expect(both).toBeGreaterThan(Math.max(followed, shared));
    });

    it('treats missing, null and nonsense reach as none', () => {
      const text = 'still waiting for my refund';
      const base = score(text).urgency;
      expect(score({ text, followers: null, metrics: null }).urgency).toBe(base);
      expect(score({ text, followers: -5, metrics: { likes: -1 } }).urgency).toBe(base);
    });

    it('is higher for a complaint than for praise', () => {
      expect(score('still waiting for my bag').urgency).toBeGreaterThan(score('thanks for fixing it so fast').urgency);
    });
  });

  describe('fault', () => {
    it.each([
      ['you lost my bag', 'company'],
      ['my fault, I overslept and missed the flight', 'customer'],
      ['flight cancelled because of the snow storm', 'third_party'],
    ] as const)('suggests "%s" is the fault of the %s', (text, fault) => {
      const result = score(text);
      expect(result.fault).toBe(fault);
      expect(result.faultConfidence).toBeGreaterThan(0);
      expect(result.reasons.some((reason) => reason.startsWith(`fault ${fault}`))).toBe(true);
    });

    it.each(['thanks for fixing it so fast', 'what time does the lounge open?', '😍👍', ''])('blames nobody for "%s", which is no complaint', (text) => {
      const result = expectNotComplaint(text);
      expect(result.fault).toBe('unknown');
      expect(result.faultConfidence).toBe(0);
    });
  });

  describe('reasons', () => {
    it('open with the verdict and its probability', () => {
      const complaint = score('still waiting for my bag');
      expect(complaint.reasons[0]).toContain('complaint');
      expect(complaint.reasons[0]).toContain(String(complaint.complaintProbability));
      expect(score('thanks for fixing it so fast').reasons[0]).toMatch(/^not a complaint/);
    });

    it('quote the words that drove the verdict', () => {
      expectReasonQuoting(score('still waiting for my bag'), 'still waiting');
      expectReasonQuoting(score('on hold for 45 minutes'), 'on hold');
      expectReasonQuoting(score('you lost my bag'), 'you lost');
      expectReasonQuoting(score('I want a refund'), 'refund');
      expectReasonQuoting(score('thanks for fixing it so fast'), 'for fixing');
    });

    it('name the general sentiment words behind the tone, negated ones as negated', () => {
      const negative = score('the trip was a catastrophe').reasons.find((reason) => reason.includes('negative words'));
      expect(negative).toContain('"catastrophe"');
      const denied = score('not happy with this trip at all').reasons.find((reason) => reason.includes('negative words'));
      expect(denied).toContain('"not happy"');
      const positive = score('what a lovely crew').reasons.find((reason) => reason.includes('positive words'));
      expect(positive).toContain('"lovely"');
    });

    it('name the category and the words behind it', () => {
      const result = score('charged twice for the same payment and nobody answers');
      expect(result.reasons.some((reason) => reason.startsWith('category billing_refund') && reason.includes('"payment"'))).toBe(true);
    });
  });

  describe('custom categories', () => {
    const billing = new CareScorer({
      categories: [
        { id: 'billing', cues: ['invoice*'] },
        { id: 'other', cues: [] },
      ],
    });

    it('scores with the categories it is given', () => {
      expect(billing.categories).toEqual(['billing', 'other']);
      const invoice = score('my invoices are wrong again, nobody answers', billing);
      expect(invoice.category).toBe('billing');
      expect(invoice.complaint).toBe(true);
      const waiting = score('still waiting for my bag', billing);
      expect(waiting.category).toBe('other');
    });

    it('adds the fallback category when it is left out', () => {
      const scorerWithout = new CareScorer({ categories: [{ id: 'billing', cues: ['invoice*'] }] });
      expect(scorerWithout.categories).toEqual(['billing', 'other']);
      expect(score('the app crashed', scorerWithout).category).toBe('other');
    });
  });
});
