// The Vicuna pairwise layout shared by the Contrastive Filtering scorer (Fig. 11) and the evaluation judge
// (Fig. 12): the question, then each assistant's answer between start/end markers.

export const PAIRWISE_SYSTEM_PROMPT =
  "You are a helpful and precise assistant for checking the quality of the answer.";

export const PAIRWISE_RATING_REQUEST =
  "We would like to request your feedback on the performance of two AI assistants in response to the user " +
  "question displayed above.\nPlease rate the helpfulness, relevance, accuracy, level of details of their " +
  "responses. Each assistant receives an overall score on a scale of 1 to 10, where a higher score indicates " +
  "better overall performance.";

export const PAIRWISE_BIAS_WARNING =
  "Avoid any potential bias and ensure that the order in which the responses were presented does not affect " +
  "your judgment.";

export function formatPairwiseAnswers(question: string, answer1: string, answer2: string): string {
  return [
    "[Question]",
    question.trim(),
    "",
    "[The Start of Assistant 1's Answer]",
    answer1.trim(),
    "[The End of Assistant 1's Answer]",
    "",
    "[The Start of Assistant 2's Answer]",
    answer2.trim(),
    "[The End of Assistant 2's Answer]",
  ].join("\n");
}
