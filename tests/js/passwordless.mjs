// USER_AUTH through Amplify JS v6 (aws-amplify/auth) in node: signIn with preferredChallenge EMAIL_OTP and
// SMS_OTP then confirmSignIn with the code from the outbox; SELECT_CHALLENGE answered through confirmSignIn;
// a passwordless signUp, confirmSignUp and autoSignIn.
// Usage: node passwordless.mjs <endpoint> <poolId> <clientId> <username> <newUsername>
// Prints one JSON object describing what happened.
import { Amplify } from "aws-amplify";
import { autoSignIn, confirmSignIn, confirmSignUp, fetchAuthSession, signIn, signOut, signUp } from "aws-amplify/auth";

const [endpoint, poolId, clientId, username, newUsername] = process.argv.slice(2);
globalThis.navigator ??= { userAgent: "node" };
Amplify.configure({ Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: endpoint } } });

async function lastCode(name) {
  const messages = await (await fetch(`${endpoint}/_userpools/outbox?pool=${poolId}&username=${name}`)).json();
  return messages[messages.length - 1].code;
}

const out = { steps: [] };
const step = (result) => out.steps.push(result.nextStep?.signInStep ?? result.nextStep?.signUpStep ?? null);
try {
  const email = await signIn({ username, options: { authFlowType: "USER_AUTH", preferredChallenge: "EMAIL_OTP" } });
  step(email);
  out.emailDestination = email.nextStep.codeDeliveryDetails?.destination ?? null;
  step(await confirmSignIn({ challengeResponse: await lastCode(username) }));
  out.signedIn = Boolean((await fetchAuthSession()).tokens?.accessToken);
  await signOut();

  const sms = await signIn({ username, options: { authFlowType: "USER_AUTH", preferredChallenge: "SMS_OTP" } });
  step(sms);
  out.smsDestination = sms.nextStep.codeDeliveryDetails?.destination ?? null;
  step(await confirmSignIn({ challengeResponse: await lastCode(username) }));
  await signOut();

  const choice = await signIn({ username, options: { authFlowType: "USER_AUTH" } });
  step(choice);
  out.availableChallenges = choice.nextStep.availableChallenges ?? null;
  step(await confirmSignIn({ challengeResponse: "EMAIL_OTP" }));
  step(await confirmSignIn({ challengeResponse: await lastCode(username) }));
  await signOut();

  const signedUp = await signUp({
    username: newUsername,
    options: { userAttributes: { email: `${newUsername}@example.com` }, autoSignIn: { authFlowType: "USER_AUTH" } },
  });
  step(signedUp);
  step(await confirmSignUp({ username: newUsername, confirmationCode: await lastCode(newUsername) }));
  step(await autoSignIn());
  out.autoSignedIn = Boolean((await fetchAuthSession()).tokens?.accessToken);
  await signOut();
} catch (error) {
  out.error = { name: error.name, message: error.message };
}
console.log(JSON.stringify(out));
process.exit(0); // Amplify leaves timers running (autoSignIn polling)
