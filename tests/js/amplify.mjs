// MFA and remembered devices through Amplify JS v6 (aws-amplify/auth) in node:
// setUpTOTP / verifyTOTPSetup / updateMFAPreference, signIn -> CONFIRM_SIGN_IN_WITH_TOTP_CODE -> confirmSignIn,
// SMS MFA with the code read from the outbox, rememberDevice, a sign-in without MFA, fetchDevices, forgetDevice.
// Usage: node amplify.mjs <endpoint> <poolId> <clientId> <username> <password>
// Prints one JSON object describing what happened.
import { Amplify } from "aws-amplify";
import {
  confirmSignIn, fetchDevices, fetchMFAPreference, forgetDevice, rememberDevice, setUpTOTP, signIn, signOut,
  updateMFAPreference, verifyTOTPSetup,
} from "aws-amplify/auth";
import { TOTP } from "otpauth";

const [endpoint, poolId, clientId, username, password] = process.argv.slice(2);
// Node 20 has no navigator; Amplify names a new device (ConfirmDevice's DeviceName) after navigator.userAgent.
globalThis.navigator ??= { userAgent: "node" };
Amplify.configure({ Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: endpoint } } });

async function lastCode() {
  const messages = await (await fetch(`${endpoint}/_userpools/outbox?pool=${poolId}&username=${username}`)).json();
  return messages[messages.length - 1].code;
}

const out = { steps: [] };
const step = (result) => out.steps.push(result.nextStep.signInStep);
try {
  step(await signIn({ username, password }));
  const setup = await setUpTOTP();
  // The code of the next 30-second step: the one verifyTOTPSetup uses is not accepted twice.
  const totp = new TOTP({ secret: setup.sharedSecret });
  await verifyTOTPSetup({ code: totp.generate() });
  await updateMFAPreference({ totp: "PREFERRED" });
  out.preference = await fetchMFAPreference();
  await signOut();

  step(await signIn({ username, password }));
  step(await confirmSignIn({ challengeResponse: totp.generate({ timestamp: Date.now() + 30_000 }) }));
  await updateMFAPreference({ sms: "PREFERRED", totp: "ENABLED" });
  await signOut();

  const sms = await signIn({ username, password });
  step(sms);
  out.smsDestination = sms.nextStep.codeDeliveryDetails?.destination ?? null;
  step(await confirmSignIn({ challengeResponse: await lastCode() }));
  await rememberDevice();
  out.devices = (await fetchDevices()).map((d) => ({ id: d.id, name: d.name ?? null }));
  await signOut();

  step(await signIn({ username, password })); // a remembered device: no MFA
  await forgetDevice();
  out.devicesAfterForget = (await fetchDevices()).length;
  await signOut();
} catch (error) {
  out.error = { name: error.name, message: error.message };
}
console.log(JSON.stringify(out));
