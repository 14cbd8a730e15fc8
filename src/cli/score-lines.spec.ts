import { SCORE_LINE_KEYS } from '../../test/support/score-contract';
import type { PostScore } from '../domain/scoring/post-score';
import { formatScoreLine, parseScoreLine, type ScoreRequest } from './score-lines';

function accepted(line: string): ScoreRequest {
  const parsed = parseScoreLine(line);
  if (!parsed.ok) throw new Error(`expected ${line} to be accepted, got: ${parsed.problem}`);
  return parsed.request;
}

function problemOf(line: string): string {
  const parsed = parseScoreLine(line);
  if (parsed.ok) throw new Error(`expected ${line} to be refused`);
  return parsed.problem;
}

const score: PostScore = {
  polarity: 'negative',
  polarityScore: -0.6,
  complaint: true,
  complaintProbability: 0.9,
  category: 'baggage',
  fault: 'company',
  faultConfidence: 0.7,
  severity: ['money_lost'],
  urgency: 55,
  reasons: ['still waiting'],
  language: 'en',
  scorer: 'care-v1',
  unscoredLanguage: 'xx',
};

describe('parseScoreLine', () => {
  it('reads the id and text, and leaves out what was not given', () => {
    expect(accepted('{"id":"a1","text":"day 3 and still no bag"}')).toEqual({ id: 'a1', idJson: '"a1"', input: { text: 'day 3 and still no bag' } });
    expect(accepted('{"id":7,"text":""}')).toEqual({ id: 7, idJson: '7', input: { text: '' } });
  });

  it('passes language, reach and engagement to the scorer, ignoring unknown fields', () => {
    const request = accepted('{"id":"x","text":"hi","lang":"de","followers":120,"metrics":{"likes":4,"reposts":1,"replies":0,"quotes":9},"extra":true}');
    expect(request.input).toEqual({ text: 'hi', lang: 'de', followers: 120, metrics: { likes: 4, reposts: 1, replies: 0 } });
  });

  it('takes followers from the author when the post has none, and the post’s own when both are given', () => {
    expect(accepted('{"id":"x","text":"hi","author":{"followers":50}}').input.followers).toBe(50);
    expect(accepted('{"id":"x","text":"hi","followers":9,"author":{"followers":50}}').input.followers).toBe(9);
  });

  it('treats null optional fields as absent, except lang, which the scorer reads as "not said"', () => {
    expect(accepted('{"id":"x","text":"hi","followers":null,"author":null,"metrics":null}').input).toEqual({ text: 'hi' });
    expect(accepted('{"id":"x","text":"hi","lang":null}').input).toEqual({ text: 'hi', lang: null });
  });

  it('keeps the digits of a numeric id too large for a double, or says to quote it where JSON source access is missing', () => {
    const parsed = parseScoreLine('{"id":570306133677760513,"text":"hi","author":{"id":1}}');
    if (parsed.ok) expect(parsed.request.idJson).toBe('570306133677760513');
    else expect(parsed.problem).toMatch(/give it as a string/);
  });

  it.each([
    ['not json', /^not valid JSON \(/],
    ['{"id":"x","text":"hi"', /^not valid JSON/],
    ['[1,2]', /expected a JSON object, got an array/],
    ['"text"', /expected a JSON object, got the string "text"/],
    ['null', /expected a JSON object, got null/],
    ['{"text":"hi"}', /"id" is missing/],
    ['{"id":"","text":"hi"}', /"id" must not be empty/],
    ['{"id":null,"text":"hi"}', /"id" must be a non-empty string or a number, got null/],
    ['{"id":true,"text":"hi"}', /"id" must be a non-empty string or a number, got true/],
    ['{"id":{"a":1},"text":"hi"}', /"id" must be a non-empty string or a number, got an object/],
    ['{"id":"x"}', /"text" is missing/],
    ['{"id":"x","text":42}', /"text" must be a string, got the number 42/],
    ['{"id":"x","text":null}', /"text" must be a string, got null/],
    ['{"id":"x","text":"hi","lang":5}', /"lang" must be a string or null/],
    ['{"id":"x","text":"hi","followers":"12"}', /"followers" must be a number, 0 or more, got the string "12"/],
    ['{"id":"x","text":"hi","followers":-1}', /"followers" must be a number, 0 or more/],
    ['{"id":"x","text":"hi","author":"bob"}', /"author" must be an object/],
    ['{"id":"x","text":"hi","followers":3,"author":{"followers":"many"}}', /"author.followers" must be a number/],
    ['{"id":"x","text":"hi","metrics":[1]}', /"metrics" must be an object, got an array/],
    ['{"id":"x","text":"hi","metrics":{"likes":"2"}}', /"metrics.likes" must be a number/],
    ['{"id":"x","text":"hi","metrics":{"replies":true}}', /"metrics.replies" must be a number/],
  ])('refuses %s', (line, problem) => {
    expect(problemOf(line)).toMatch(problem);
  });
});

describe('formatScoreLine', () => {
  it('writes the contract keys in the contract order, and nothing else', () => {
    const line = formatScoreLine('"a1"', score);
    const parsed = JSON.parse(line);
    expect(Object.keys(parsed)).toEqual(SCORE_LINE_KEYS);
    expect(parsed).toEqual({
      id: 'a1',
      polarity: 'negative',
      polarityScore: -0.6,
      complaint: true,
      complaintProbability: 0.9,
      category: 'baggage',
      fault: 'company',
      faultConfidence: 0.7,
      severity: ['money_lost'],
      urgency: 55,
      reasons: ['still waiting'],
      language: 'en',
    });
    expect(line).not.toContain('\n');
  });

  it('writes the id as given, so large numbers keep their digits', () => {
    expect(formatScoreLine('570306133677760513', score)).toMatch(/^\{"id":570306133677760513,"polarity":"negative",/);
  });
});
