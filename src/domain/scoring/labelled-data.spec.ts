import { AIRLINE_REASON_MAPPING, CsvError, parseCsv, readLabelledCsv } from './labelled-data';
import { DEFAULT_CATEGORY_IDS } from './care-scorer';
import { FAULTS } from './post-score';

const fieldsOf = (text: string): string[][] => parseCsv(text).map((row) => row.fields);

describe('parseCsv', () => {
  it('splits rows and fields and numbers the lines', () => {
    expect(parseCsv('a,b,c\n1,2,3\n')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', '2', '3'] },
    ]);
    expect(fieldsOf('a,,c\n,,')).toEqual([
      ['a', '', 'c'],
      ['', '', ''],
    ]);
  });

  it('reads quoted fields with commas and escaped quotes', () => {
    expect(fieldsOf('text,complaint\n"late, again",yes\n"she said ""no refund""",1\n""""," "')).toEqual([
      ['text', 'complaint'],
      ['late, again', 'yes'],
      ['she said "no refund"', '1'],
      ['"', ' '],
    ]);
  });

  it('keeps line breaks inside quoted fields and counts the lines they take', () => {
    expect(parseCsv('text,complaint\n"line one\nline two\nline three",yes\nnext,no\n')).toEqual([
      { line: 1, fields: ['text', 'complaint'] },
      { line: 2, fields: ['line one\nline two\nline three', 'yes'] },
      { line: 5, fields: ['next', 'no'] },
    ]);
  });

  it('reads CRLF line ends, lone CR and a missing last line end', () => {
    expect(parseCsv('a,b\r\n1,2\r\n3,4')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 3, fields: ['3', '4'] },
    ]);
    expect(fieldsOf('a\r1\r')).toEqual([['a'], ['1']]);
    expect(fieldsOf('text\r\n"two\r\nlines"\r\n')).toEqual([['text'], ['two\r\nlines']]);
  });

  it('skips a byte order mark', () => {
    expect(fieldsOf('\uFEFFtext,complaint\nhi,yes')[0]).toEqual(['text', 'complaint']);
  });

  it('skips blank lines but keeps their numbers', () => {
    expect(parseCsv('a\n\n\nb\n')).toEqual([
      { line: 1, fields: ['a'] },
      { line: 4, fields: ['b'] },
    ]);
  });

  it('gives no rows for an empty file', () => {
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('\uFEFF')).toEqual([]);
  });

  it('names the line of a quoted field that is never closed', () => {
    expect(() => parseCsv('text,complaint\nfine,yes\n"never closed,yes\nmore,no\n')).toThrow(CsvError);
    expect(() => parseCsv('text,complaint\nfine,yes\n"never closed,yes\nmore,no\n')).toThrow('a quoted field that starts on line 3 is never closed');
  });
});

describe('readLabelledCsv', () => {
  describe('our layout', () => {
    it('reads text with any of complaint, polarity, category and fault, and optional id and lang', () => {
      const file = readLabelledCsv(
        [
          'id,text,lang,complaint,polarity,category,fault',
          '1,"still waiting for my bag, day 3",en,yes,negative,baggage,company',
          '2,thanks for fixing it,,no,positive,,',
          '3,on hold again,,1,,customer_service,',
          '4,my fault I overslept,,TRUE,Negative,other,Customer',
          '5,what time does the lounge open?,,0,neutral,,',
          '6,only a category,,,,delay,',
        ].join('\n'),
      );
      expect(file.layout).toBe('labels');
      expect(file.skipped).toEqual([]);
      expect(file.examples).toEqual([
        { id: '1', text: 'still waiting for my bag, day 3', lang: 'en', complaint: true, polarity: 'negative', category: 'baggage', fault: 'company' },
        { id: '2', text: 'thanks for fixing it', complaint: false, polarity: 'positive' },
        { id: '3', text: 'on hold again', complaint: true, category: 'customer_service' },
        { id: '4', text: 'my fault I overslept', complaint: true, polarity: 'negative', category: 'other', fault: 'customer' },
        { id: '5', text: 'what time does the lounge open?', complaint: false, polarity: 'neutral' },
        { id: '6', text: 'only a category', category: 'delay' },
      ]);
    });

    it('reads the complaint column as true/false, yes/no or 1/0 in any case', () => {
      const rows = ['true', 'YES', 'y', '1', 'false', 'No', 'n', '0'].map((value, index) => `post ${index},${value}`);
      const file = readLabelledCsv(['text,complaint', ...rows].join('\n'));
      expect(file.examples.map((example) => example.complaint)).toEqual([true, true, true, true, false, false, false, false]);
    });

    it('finds columns whatever their case and order, and a header with a BOM and CRLF', () => {
      const file = readLabelledCsv('\uFEFFComplaint,TEXT\r\nyes,still no bag\r\n');
      expect(file.examples).toEqual([{ text: 'still no bag', complaint: true }]);
    });

    it('skips rows it cannot read, with their line and the reason, and keeps the rest', () => {
      const file = readLabelledCsv(
        [
          'text,complaint,polarity,category,fault',
          'fine row,yes,,,',
          '   ,yes,,,',
          'bad complaint,maybe,,,',
          'bad polarity,,angry,,',
          '"a post over',
          'two lines",,,,god',
          'no label at all,,,,',
          'unknown category,,,teleportation,',
          'last fine row,no,,,',
        ].join('\n'),
        DEFAULT_CATEGORY_IDS,
      );
      expect(file.examples.map((example) => example.text)).toEqual(['fine row', 'last fine row']);
      expect(file.skipped).toEqual([
        { line: 3, reason: 'the text is empty' },
        { line: 4, reason: 'complaint "maybe" is not true/false, yes/no or 1/0' },
        { line: 5, reason: 'polarity "angry" is not negative, neutral or positive' },
        { line: 6, reason: `fault "god" is not one of ${FAULTS.join(', ')}` },
        { line: 8, reason: 'the row has no label' },
        { line: 9, reason: expect.stringMatching(/^category "teleportation" is not one of delay, cancellation, .*other$/) },
      ]);
    });

    it('takes any category when it is not given the list', () => {
      expect(readLabelledCsv('text,category\nmy invoice is wrong,Billing').examples).toEqual([{ text: 'my invoice is wrong', category: 'billing' }]);
    });

    it('skips a row too short to have a text', () => {
      const file = readLabelledCsv('complaint,text\nyes\nno,fine');
      expect(file.skipped).toEqual([{ line: 2, reason: 'the text is empty' }]);
      expect(file.examples).toEqual([{ text: 'fine', complaint: false }]);
    });
  });

  describe('the airline sentiment layout', () => {
    const header = 'tweet_id,airline_sentiment,airline_sentiment_confidence,negativereason,airline,text';

    it('reads negative as a complaint and maps the reason to a category and fault', () => {
      const file = readLabelledCsv(
        [
          header,
          '570306133677760513,negative,1.0,Late Flight,Virgin America,"@VirginAmerica delayed again, 3 hours"',
          '570301130888122368,negative,0.7,Lost Luggage,United,@united where is my bag',
          "570301083672813571,negative,0.6,Can't Tell,United,@united seriously",
          '570300817074462722,negative,1.0,,Delta,@delta ugh',
          '570300767074181121,positive,1.0,,Delta,@delta thanks for the upgrade!',
          '570300616901320704,neutral,0.6,,Delta,@delta do you fly to Lisbon?',
        ].join('\n'),
      );
      expect(file.layout).toBe('airline-sentiment');
      expect(file.skipped).toEqual([]);
      expect(file.examples).toEqual([
        {
          id: '570306133677760513',
          text: '@VirginAmerica delayed again, 3 hours',
          complaint: true,
          polarity: 'negative',
          category: 'delay',
          fault: 'company',
        },
        { id: '570301130888122368', text: '@united where is my bag', complaint: true, polarity: 'negative', category: 'baggage', fault: 'company' },
        { id: '570301083672813571', text: '@united seriously', complaint: true, polarity: 'negative', category: 'other', fault: 'unknown' },
        { id: '570300817074462722', text: '@delta ugh', complaint: true, polarity: 'negative' },
        { id: '570300767074181121', text: '@delta thanks for the upgrade!', complaint: false, polarity: 'positive' },
        { id: '570300616901320704', text: '@delta do you fly to Lisbon?', complaint: false, polarity: 'neutral' },
      ]);
    });

    it('does not map a reason on a post that is not negative', () => {
      const file = readLabelledCsv([header, '1,positive,1.0,Late Flight,Delta,made it on time'].join('\n'));
      expect(file.examples).toEqual([{ id: '1', text: 'made it on time', complaint: false, polarity: 'positive' }]);
    });

    it('skips a row with an unknown sentiment, with its line', () => {
      const file = readLabelledCsv([header, '1,furious,1.0,,Delta,grr', '2,negative,1.0,Bad Flight,Delta,awful seat'].join('\n'));
      expect(file.skipped).toEqual([{ line: 2, reason: 'airline_sentiment "furious" is not negative, neutral or positive' }]);
      expect(file.examples).toEqual([{ id: '2', text: 'awful seat', complaint: true, polarity: 'negative', category: 'product_defect', fault: 'company' }]);
    });

    it('maps every reason to a shipped category and a fault', () => {
      for (const [reason, mapped] of Object.entries(AIRLINE_REASON_MAPPING)) {
        expect({ reason, known: DEFAULT_CATEGORY_IDS.includes(mapped.category) }).toEqual({ reason, known: true });
        expect(FAULTS).toContain(mapped.fault);
      }
      expect(AIRLINE_REASON_MAPPING['Cancelled Flight']).toEqual({ category: 'cancellation', fault: 'company' });
      expect(AIRLINE_REASON_MAPPING['Customer Service Issue']).toEqual({ category: 'customer_service', fault: 'company' });
    });
  });

  describe('a file it cannot use', () => {
    it('says so when the file is empty', () => {
      expect(() => readLabelledCsv('')).toThrow(CsvError);
      expect(() => readLabelledCsv('\n\n')).toThrow(/empty/);
    });

    it('names the columns it has when there is no text column', () => {
      expect(() => readLabelledCsv('post,complaint\nhi,yes')).toThrow(CsvError);
      expect(() => readLabelledCsv('post,complaint\nhi,yes')).toThrow('the header has no "text" column (it has: post, complaint)');
    });

    it('says which label columns it wants when there is none', () => {
      expect(() => readLabelledCsv('id,text,lang\n1,hi,en')).toThrow(CsvError);
      expect(() => readLabelledCsv('id,text,lang\n1,hi,en')).toThrow(/no label column: give at least one of complaint, polarity, category, fault/);
    });
  });
});
