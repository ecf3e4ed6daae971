// An OpenID Certified provider on loopback (panva's oidc-provider, with its development login and consent pages)
// for federation tests. Usage: node oidc_provider.mjs <port> <clientId> <clientSecret> <redirectUri>...
// Every login name signs in (any password); accounts' claims are derived from the name. Prints "ready" once
// listening.
import Provider from "oidc-provider";

const [port, clientId, clientSecret, ...redirectUris] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: redirectUris,
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  cookies: { keys: ["userpools-test-cookie-key"] },
  pkce: { required: () => false },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: `${id}@oidc.example.com`, email_verified: true, name: `${id} (oidc-provider)` };
      },
    };
  },
});
provider.listen(Number(port), "127.0.0.1", () => console.log("ready"));
