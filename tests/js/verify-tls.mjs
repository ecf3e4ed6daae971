// aws-jwt-verify's two verifiers against a server started with --tls, its JWKS fetched by the library itself
// over HTTPS (Node trusts the server's local CA through NODE_EXTRA_CA_CERTS).
// Usage: node verify-tls.mjs <jwt|cognito> <endpoint> <poolId> <clientId> <idToken> <accessToken>
//   jwt:     JwtRsaVerifier (aws-jwt-verify 5 calls it JwtVerifier) with the server's issuer and https JWKS URI.
//   cognito: CognitoJwtVerifier, for a server whose USERPOOLS_PUBLIC_URL is Cognito's own issuer host: the
//            library builds issuer and JWKS URI from the pool id; a JWKS cache whose fetcher sends the JWKS
//            request to <endpoint> instead of cognito-idp.<region>.amazonaws.com.
// Prints one JSON object: the verified claims, or the errors.
import { CognitoJwtVerifier, JwtRsaVerifier } from "aws-jwt-verify";
import { SimpleJsonFetcher } from "aws-jwt-verify/https";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";

const [mode, endpoint, poolId, clientId, idToken, accessToken] = process.argv.slice(2);

function make() {
  if (mode === "jwt") {
    const issuer = `${endpoint}/${poolId}`;
    return JwtRsaVerifier.create({ issuer, audience: null, jwksUri: `${issuer}/.well-known/jwks.json` });
  }
  const region = poolId.split("_")[0];
  const fetcher = new SimpleJsonFetcher();
  const local = {
    fetch: (uri, ...rest) => fetcher.fetch(uri.replace(`https://cognito-idp.${region}.amazonaws.com`, endpoint), ...rest),
  };
  return CognitoJwtVerifier.create(
    { userPoolId: poolId, clientId, tokenUse: null },
    { jwksCache: new SimpleJwksCache({ fetcher: local }) },
  );
}

async function attempt(verify) {
  try {
    return { ok: await verify() };
  } catch (error) {
    return { error: `${error.constructor.name}: ${error.message}`, cause: error.cause ? String(error.cause) : undefined };
  }
}

const verifier = make();
const id = await attempt(() =>
  mode === "jwt"
    ? verifier.verify(idToken, { tokenUse: "id", audience: clientId })
    : verifier.verify(idToken, { tokenUse: "id" }));
const access = await attempt(() =>
  mode === "jwt"
    ? verifier.verify(accessToken, { tokenUse: "access", audience: null })
    : verifier.verify(accessToken, { tokenUse: "access" }));
const [header, payload, signature] = accessToken.split(".");
const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
const forged = Buffer.from(JSON.stringify({ ...claims, username: "mallory" })).toString("base64url");
const tampered = await attempt(() =>
  verifier.verify(`${header}.${forged}.${signature}`, mode === "jwt" ? { tokenUse: "access", audience: null } : { tokenUse: "access" }));
console.log(JSON.stringify({ id, access, tampered }));
