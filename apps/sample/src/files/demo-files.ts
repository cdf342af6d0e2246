/** What SHIFT Files keeps for each demo user (by SHIFT user id), seeded in code: the API is the point, not storage. */
export interface DemoFile {
  id: string;
  name: string;
  size: number;
  updated_at: string;
}

const FILES: Readonly<Record<string, readonly DemoFile[]>> = {
  '781c5623c31ae512487ab26ea2e01991': [
    { id: 'f-1001', name: 'Spring rota.xlsx', size: 48_211, updated_at: '2026-11-28T09:12:00Z' },
    { id: 'f-1002', name: 'Design team offsite.pdf', size: 1_204_733, updated_at: '2026-11-30T16:40:00Z' },
  ],
  '4b0e8c1fd2a94e6f8a3c5d7e9f1a2b3c': [{ id: 'f-2001', name: 'Onboarding notes.md', size: 3_921, updated_at: '2026-12-01T08:05:00Z' }],
};

/** The files of a SHIFT user; none for anyone else. */
export function filesOf(userId: string): readonly DemoFile[] {
  return FILES[userId] ?? [];
}
