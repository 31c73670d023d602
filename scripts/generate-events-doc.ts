/** Writes docs/events.md from the event catalogue (`npm run docs:events`). */
import { writeFile } from 'node:fs/promises';
import { EVENT_CATALOGUE } from '../src/domain/catalogue/event-catalogue.ts';
import { renderEventsDoc } from '../src/domain/catalogue/events-doc.ts';

await writeFile(new URL('../docs/events.md', import.meta.url), renderEventsDoc(EVENT_CATALOGUE));
console.log(`docs/events.md: ${EVENT_CATALOGUE.length} event types`);
