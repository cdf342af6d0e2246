/** The demo accounts and teams SHIFT seeds on first start (README: "Running the sample"). */
export const DEMO_USERS = [
  {
    id: '781c5623c31ae512487ab26ea2e01991',
    username: 'nate',
    password: 'shift-demo',
    firstName: 'Nate',
    lastName: 'Rivera',
    email: 'nate@shift.example',
  },
  {
    id: '4b0e8c1fd2a94e6f8a3c5d7e9f1a2b3c',
    username: 'ada',
    password: 'shift-demo',
    firstName: 'Ada',
    lastName: 'Okafor',
    email: 'ada@shift.example',
  },
];

export const DEMO_TEAMS = [
  { id: 'bd6e59b73876f59d13b6fcc944810210', name: 'Design', members: { nate: 'owner', ada: 'member' } },
  { id: '0a4f9e2c7b1d4e8fa6c3b5d7e9f0a1b2', name: 'Support', members: { nate: 'member' } },
] as const;
