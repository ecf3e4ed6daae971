// A remembered device through amazon-cognito-identity-js: the first sign-in answers SMS_MFA with the code read
// from the outbox, the library confirms the new device (ConfirmDevice with its SRP verifier), the device is
// set remembered, and a second sign-in runs DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER without MFA.
// Usage: node device.mjs <endpoint> <poolId> <clientId> <username> <password>
// Prints one JSON object describing what happened.
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from "amazon-cognito-identity-js";

const [endpoint, poolId, clientId, username, password] = process.argv.slice(2);
const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint });

async function lastCode() {
  const response = await fetch(`${endpoint}/_userpools/outbox?pool=${poolId}&username=${username}`);
  const messages = await response.json();
  return messages[messages.length - 1].code;
}

function signIn(out) {
  const user = new CognitoUser({ Username: username, Pool: pool });
  return new Promise((resolve, reject) => {
    const handlers = {
      onSuccess: (session, confirmationNecessary) => resolve({ user, session, confirmationNecessary }),
      onFailure: reject,
      mfaRequired: async (challengeName) => {
        out.mfa.push(challengeName);
        user.sendMFACode(await lastCode(), handlers);
      },
      totpRequired: (challengeName) => reject(new Error(`unexpected ${challengeName}`)),
    };
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), handlers);
  });
}

const out = { mfa: [] };
try {
  const first = await signIn(out);
  out.firstDeviceKey = first.session.getAccessToken().decodePayload().device_key ?? null;
  out.confirmationNecessary = first.confirmationNecessary ?? null;
  out.remembered = await new Promise((resolve, reject) =>
    first.user.setDeviceStatusRemembered({ onSuccess: resolve, onFailure: reject }));
  out.mfaAfterFirst = out.mfa.length;
  const second = await signIn(out);
  out.secondDeviceKey = second.session.getAccessToken().decodePayload().device_key ?? null;
  out.mfaAfterSecond = out.mfa.length;
} catch (error) {
  out.error = { code: error.code, name: error.name, message: error.message };
}
console.log(JSON.stringify(out));
