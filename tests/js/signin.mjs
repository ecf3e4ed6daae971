// First sign-in of an invited user through amazon-cognito-identity-js, tokens checked by aws-jwt-verify.
// Usage: node signin.mjs <endpoint> <poolId> <clientId> <username> <temporaryPassword> <newPassword>
// Prints one JSON object describing what happened.
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from "amazon-cognito-identity-js";
import { JwtRsaVerifier } from "aws-jwt-verify";

const [endpoint, poolId, clientId, username, temporary, chosen] = process.argv.slice(2);
const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint });

function signIn(password) {
  const user = new CognitoUser({ Username: username, Pool: pool });
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: (session) => resolve({ user, session }),
      onFailure: reject,
      newPasswordRequired: () => reject(new Error("unexpected NEW_PASSWORD_REQUIRED")),
    });
  });
}

function callbacks(resolve, reject) {
  return { onSuccess: resolve, onFailure: reject };
}

async function getUser(accessToken) {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.1",
      "X-Amz-Target": "AWSCognitoIdentityProviderService.GetUser",
    },
    body: JSON.stringify({ AccessToken: accessToken }),
  });
  return { status: response.status, body: await response.json() };
}

const out = {};
try {
  const first = await new Promise((resolve, reject) => {
    const user = new CognitoUser({ Username: username, Pool: pool });
    const handlers = {
      onSuccess: (session) => resolve({ user, session }),
      onFailure: reject,
      newPasswordRequired(userAttributes, requiredAttributes) {
        out.challenge = { userAttributes, requiredAttributes };
        user.completeNewPasswordChallenge(chosen, {}, handlers);
      },
    };
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: temporary }), handlers);
  });
  const issuer = `${endpoint}/${poolId}`;
  const jwksUri = `${issuer}/.well-known/jwks.json`;
  const verifier = JwtRsaVerifier.create({ issuer, audience: clientId, jwksUri });
  // aws-jwt-verify's own fetcher only speaks https; hand it the JWKS fetched from the same URI.
  verifier.cacheJwks(await (await fetch(jwksUri)).json());
  const idClaims = await verifier.verify(first.session.getIdToken().getJwtToken(), { tokenUse: "id" });
  const accessClaims = await verifier.verify(first.session.getAccessToken().getJwtToken(), {
    tokenUse: "access", audience: null,
  });
  out.id = { username: idClaims["cognito:username"], email: idClaims.email, aud: idClaims.aud };
  out.access = { client_id: accessClaims.client_id, token_use: accessClaims.token_use };

  const again = await signIn(chosen);
  out.secondSignIn = again.session.isValid();
  const refreshed = await new Promise((resolve, reject) =>
    again.user.refreshSession(again.session.getRefreshToken(), (err, s) => (err ? reject(err) : resolve(s))));
  out.refreshed = refreshed.getAccessToken().getJwtToken() !== again.session.getAccessToken().getJwtToken();
  const oldAccess = refreshed.getAccessToken().getJwtToken();
  out.beforeSignOut = (await getUser(oldAccess)).status;
  await new Promise((resolve, reject) => again.user.globalSignOut(callbacks(resolve, reject)));
  out.afterSignOut = await getUser(oldAccess);
} catch (error) {
  out.error = { code: error.code, name: error.name, message: error.message };
}
console.log(JSON.stringify(out));
