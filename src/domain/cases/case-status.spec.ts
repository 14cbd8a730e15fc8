import { isAcknowledgementOverdue, isOpenStatus } from './case-status';

describe('isAcknowledgementOverdue', () => {
  const now = new Date('2026-11-24T12:00:00Z');
  const past = new Date('2026-11-24T11:59:00Z');
  const future = new Date('2026-11-24T12:01:00Z');

  it('is overdue only while open, unacknowledged and past the deadline', () => {
    expect(isAcknowledgementOverdue({ status: 'new', acknowledgedAt: null, acknowledgeBy: past }, now)).toBe(true);
    expect(isAcknowledgementOverdue({ status: 'reopened', acknowledgedAt: null, acknowledgeBy: past }, now)).toBe(true);
    expect(isAcknowledgementOverdue({ status: 'new', acknowledgedAt: null, acknowledgeBy: future }, now)).toBe(false);
    expect(isAcknowledgementOverdue({ status: 'acknowledged', acknowledgedAt: past, acknowledgeBy: past }, now)).toBe(false);
    expect(isAcknowledgementOverdue({ status: 'resolved', acknowledgedAt: null, acknowledgeBy: past }, now)).toBe(false);
  });

  it('treats resolved and closed as the only statuses that owe nothing', () => {
    expect(isOpenStatus('waiting_on_customer')).toBe(true);
    expect(isOpenStatus('resolved')).toBe(false);
    expect(isOpenStatus('closed')).toBe(false);
  });
});
