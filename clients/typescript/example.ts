// What a frontend does with the generated types: switch on ErrorCode (the compiler checks every
// case names a real code), and read an operation's result by its generated type.
import type { ErrorCode, SignUpMutation } from "./generated/graphql.js";

type UserError = SignUpMutation["signUp"]["userErrors"][number];

export function advice(error: UserError): string {
  const code: ErrorCode = error.code;
  switch (code) {
    case "EMAIL_NOT_VERIFIED":
      return "Enter the code we mailed you first.";
    case "WEAK_PASSWORD":
    case "PASSWORD_TOO_SHORT":
      return "Choose a longer, less guessable password.";
    case "REVIEW_TOO_SOON":
      return "You reviewed this company this year already: edit that review instead.";
    case "RATE_LIMITED":
      return "Slow down, and try again in a moment.";
    default:
      return error.message; // codes may be added: keep a default branch
  }
}

export function tokenOf(result: SignUpMutation): string | null {
  return result.signUp.token ?? null;
}
