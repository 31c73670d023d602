/**
 * Word lists for the demo's people and clinical prose. Every patient's surname is a placeholder word, every
 * phone is in one unallocated-looking block and every e-mail is at example.com, so no generated record can be
 * mistaken for a real person. Clinical phrases are generic and carry no identifying detail.
 */
import type { Demographics } from '../domain/patient/events.ts';
import type { Random } from './random.ts';

const FIRST_NAMES = [
  'Asha',
  'Ravi',
  'Meena',
  'Arjun',
  'Kavya',
  'Vikram',
  'Nisha',
  'Rahul',
  'Priya',
  'Sanjay',
  'Divya',
  'Anil',
  'Lakshmi',
  'Karan',
  'Farah',
  'Joseph',
  'Gurpreet',
  'Tenzin',
  'Ananya',
  'Imran',
  'Deepa',
  'Suresh',
  'Zoya',
  'Manoj',
  'Rekha',
  'Aditya',
  'Sneha',
  'Harish',
  'Pooja',
  'Naveen',
];
const PLACEHOLDER_SURNAMES = [
  'Demo',
  'Sample',
  'Testcase',
  'Placeholder',
  'Fixture',
  'Synthetic',
  'Example',
  'Mockup',
  'Specimen',
  'Dummy',
];
// No doctor's surname contains a patient's placeholder surname, so no patient's name occurs in a doctor's.
const DOCTOR_SURNAMES = [
  'Mockwell',
  'Testbury',
  'Examplar',
  'Placeford',
  'Protoson',
  'Stubbington',
  'Trialworth',
];
const CITIES: readonly (readonly [string, string, string])[] = [
  ['Bengaluru', 'Karnataka', '560001'],
  ['Mysuru', 'Karnataka', '570001'],
  ['Chennai', 'Tamil Nadu', '600001'],
  ['Pune', 'Maharashtra', '411001'],
  ['Hyderabad', 'Telangana', '500001'],
];
const STREETS = ['Sample Street', 'Example Road', 'Placeholder Lane', 'Demo Cross', 'Fixture Main Road'];

/** Clinic and hospital locality names for branches (not people). */
export const LOCALITIES = [
  'Indiranagar',
  'Koramangala',
  'Jayanagar',
  'Whitefield',
  'Malleswaram',
  'HSR Layout',
  'Hebbal',
  'Banashankari',
  'Yelahanka',
  'Basavanagudi',
];

export const SPECIALTIES = [
  'general_medicine',
  'paediatrics',
  'dermatology',
  'orthopaedics',
  'cardiology',
  'ent',
  'gynaecology',
];

export function syntheticPatient(random: Random, serial: number): Demographics & { notes: string | null } {
  const first = random.pick(FIRST_NAMES);
  const surname = random.pick(PLACEHOLDER_SURNAMES);
  const [city, state, postalCode] = random.pick(CITIES);
  const handle = `${first}.${surname}${serial}`.toLowerCase();
  return {
    name: `${first} ${surname}`,
    phone: syntheticPhone(random),
    email: random.chance(0.5) ? `${handle}@example.com` : null,
    birthDate: `${random.int(1945, 2023)}-${pad(random.int(1, 12))}-${pad(random.int(1, 28))}`,
    gender: random.weighted([
      ['female', 48],
      ['male', 48],
      ['other', 1],
      ['undisclosed', 3],
    ] as const),
    address: random.chance(0.8)
      ? {
          line1: `${random.int(1, 999)} ${random.pick(STREETS)}`,
          line2: random.chance(0.3) ? `Flat ${random.int(1, 40)}` : null,
          city,
          state,
          postalCode,
          country: 'IN',
        }
      : null,
    abhaNumber: random.chance(0.4)
      ? `91-${digits(random, 4)}-${digits(random, 4)}-${digits(random, 4)}`
      : null,
    abhaAddress: random.chance(0.3) ? `${handle.replace(/[^a-z0-9.]/g, '')}@abdm` : null,
    notes: random.chance(0.2) ? random.pick(PATIENT_NOTES) : null,
  };
}

export function syntheticPhone(random: Random): string {
  return `+9190000${String(random.int(0, 99_999)).padStart(5, '0')}`;
}

export function doctorName(random: Random): string {
  return `Dr. ${random.pick(FIRST_NAMES)} ${random.pick(DOCTOR_SURNAMES)}`;
}

export const PATIENT_NOTES = [
  'Known hypertensive, on regular medication.',
  'Allergic to penicillin.',
  'Type 2 diabetes, diet controlled.',
  'Asthma since childhood.',
  'No known drug allergies.',
];

export const REASONS_FOR_VISIT = [
  'Fever and cough for three days',
  'Routine health check',
  'Skin rash on forearm',
  'Knee pain after a fall',
  'Blood pressure review',
  'Recurring headaches',
  'Sore throat',
  'Lower back pain',
  'Follow-up of lab results',
  'Ear ache',
];

export const VISIT_NOTES = [
  'Viral fever; symptomatic treatment advised.',
  'Vitals normal; continue current medication.',
  'Contact dermatitis; topical steroid prescribed.',
  'Soft tissue injury; rest and physiotherapy.',
  'Blood pressure controlled; review in a month.',
  'Tension headache; lifestyle advice given.',
  'Pharyngitis; antibiotics for five days.',
];

export const FOLLOW_UP_REASONS = [
  'Review response to treatment',
  'Recheck blood pressure',
  'Discuss lab results',
  'Wound review',
  'Physiotherapy progress check',
];

export const TREATMENT_PLANS: readonly (readonly [string, string])[] = [
  ['HTN-STEP1', 'Start low-dose antihypertensive and home BP monitoring.'],
  ['DM2-MET', 'Metformin with diet counselling; HbA1c in three months.'],
  ['PHYSIO-6W', 'Six weeks of physiotherapy, twice weekly.'],
  ['ASTHMA-CTRL', 'Inhaled corticosteroid with rescue inhaler.'],
  ['ABX-5D', 'Five-day antibiotic course and review.'],
];

export const CARE_PATH_STEPS = ['ASSESSED', 'INVESTIGATIONS', 'TREATMENT', 'REVIEW', 'STABLE'];

export const REFERRALS: readonly (readonly [string, string, string])[] = [
  ['Example Heart Institute', 'cardiology', 'Abnormal ECG needs specialist evaluation.'],
  ['Sample Imaging Centre', 'radiology', 'MRI of the lumbar spine required.'],
  ['Placeholder Eye Hospital', 'ophthalmology', 'Diabetic retinopathy screening.'],
  ['Demo Cancer Centre', 'oncology', 'Suspicious lesion for biopsy.'],
];

export const ADMITTING_DIAGNOSES = [
  'Community-acquired pneumonia',
  'Acute gastroenteritis with dehydration',
  'Cellulitis of the leg',
  'Uncontrolled diabetes',
  'Fracture of the radius for surgery',
];

export const DISCHARGE_SUMMARIES = [
  'Improved on treatment; discharged with oral medication.',
  'Afebrile for 48 hours; review in OPD in one week.',
  'Post-operative course uneventful; sutures out in ten days.',
];

export const CLAIM_DENIALS: readonly (readonly [string, string])[] = [
  ['POLICY_EXCLUSION', 'Condition excluded under the policy terms.'],
  ['DOCS_MISSING', 'Discharge summary and bills not attached.'],
  ['WAITING_PERIOD', 'Claim falls within the initial waiting period.'],
];

export const REFUND_NOTES = [
  'Refund as per cancellation policy.',
  'Goodwill gesture after a long wait.',
  null,
];

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function digits(random: Random, count: number): string {
  return String(random.int(0, 10 ** count - 1)).padStart(count, '0');
}
