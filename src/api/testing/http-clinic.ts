/**
 * Test and benchmark support: a clinic set up through the running service's own command endpoints, the way a
 * tenant's administrator and front desk would — a pricing policy, a branch priced by it, doctors assigned there
 * and available around the clock (UTC, every day), and patients. Names and numbers are synthetic.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface HttpAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Headers;
}

/** One JSON request to the service with a bearer key. */
export type HttpCall = (
  method: 'GET' | 'POST',
  path: string,
  key: string,
  body?: unknown,
) => Promise<HttpAnswer>;

export function httpCaller(baseUrl: string): HttpCall {
  return async (method, path, key, body) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
      headers: response.headers,
    };
  };
}

/** Sends the request and returns the answer, or throws naming the request, status and problem code. */
export async function expectSuccess(
  call: HttpCall,
  method: 'GET' | 'POST',
  path: string,
  key: string,
  body?: unknown,
): Promise<HttpAnswer> {
  const answer = await call(method, path, key, body);
  if (answer.status < 200 || answer.status > 299) {
    throw new Error(`${method} ${path} → ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return answer;
}

export interface HttpClinicSpec {
  /** Role tenant_admin: pricing, branches, doctors. */
  readonly adminKey: string;
  /** Role front_desk: patients. */
  readonly frontDeskKey: string;
  readonly branchId: string;
  readonly policyId: string;
  readonly doctorIds: readonly string[];
  readonly patientIds: readonly string[];
  readonly cancellationWindowMinutes: number;
  /** In-person consultation price and deposit, paise. */
  readonly priceMinor: number;
  readonly depositMinor: number;
  readonly slotMinutes: number;
}

/**
 * Sets the clinic up and resolves once its pricing is in force (a rule may not take effect before it is
 * decided, so it starts a moment after the request that publishes it).
 */
export async function setUpClinicOverHttp(call: HttpCall, spec: HttpClinicSpec): Promise<void> {
  const { adminKey, frontDeskKey, branchId, policyId } = spec;
  const effectiveFrom = new Date(Date.now() + 1_000);
  const inr = (amountMinor: number) => ({ amountMinor, currency: 'INR' });
  await expectSuccess(call, 'POST', `/v1/pricing-policies/${policyId}/rules`, adminKey, {
    effectiveFrom: effectiveFrom.toISOString(),
    currency: 'INR',
    cancellationWindowMinutes: spec.cancellationWindowMinutes,
    prices: [{ consultationType: 'in_person', price: inr(spec.priceMinor), deposit: inr(spec.depositMinor) }],
  });
  await expectSuccess(call, 'POST', `/v1/branches/${branchId}`, adminKey, {
    name: `Branch ${branchId}`,
    pricingPolicyId: policyId,
  });
  const aroundTheClock = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
    weekday,
    start: '00:00',
    end: '24:00',
    slotMinutes: spec.slotMinutes,
  }));
  for (const [index, doctorId] of spec.doctorIds.entries()) {
    await expectSuccess(call, 'POST', `/v1/doctors/${doctorId}`, adminKey, {
      name: `Dr. Bench ${index}`,
      registrationNumber: `KMC-${100_000 + index}`,
      specialties: ['general_medicine'],
      timeZone: 'UTC',
    });
    await expectSuccess(call, 'POST', `/v1/doctors/${doctorId}/branches/${branchId}`, adminKey);
    await expectSuccess(call, 'POST', `/v1/doctors/${doctorId}/branches/${branchId}/availability`, adminKey, {
      windows: aroundTheClock,
    });
  }
  for (const [index, patientId] of spec.patientIds.entries()) {
    await expectSuccess(call, 'POST', `/v1/patients/${patientId}`, frontDeskKey, {
      name: `Patient ${index}`,
      phone: `+9198${String(10_000_000 + index).slice(-8)}`,
      email: null,
      birthDate: '1988-04-12',
      gender: null,
      address: null,
      abhaNumber: null,
      abhaAddress: null,
    });
  }
  const untilInForce = effectiveFrom.getTime() - Date.now();
  if (untilInForce > 0) await sleep(untilInForce + 10);
}
