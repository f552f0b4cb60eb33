// The parts of the health score as a rep names them: the account page and Oversight say the same words.

/** Each part of the score (the API's component names) in words. */
export const partNames: Record<string, string> = {
  engagement: 'Use of the product',
  relationship: 'Conversations with us',
  voice: 'What they tell us (surveys)',
  effort: 'Effort (problems, waiting for us)',
  money: 'Payments',
  churnRisk: 'Likely to stay',
  promises: 'Promises kept',
};
