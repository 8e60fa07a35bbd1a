import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETURN_TO,
  identityFromClaims,
  OidcLoginError,
  parseOidcProviders,
  sanitiseReturnTo,
  type OidcProviderConfiguration,
} from './oidc.js';
import { loginFailureLocation, oidcRedirectUri } from './oidc-routes.js';

const proconnect = {
  id: 'proconnect',
  label: 'ProConnect',
  kind: 'proconnect',
  audience: 'agents',
  issuer: 'https://auth.agentconnect.gouv.fr/api/v2',
  clientId: 'client-flechage',
  clientSecret: 'secret-flechage',
  acrValues: 'eidas1',
};

const parse = (entries: unknown) => () => parseOidcProviders(JSON.stringify(entries));

describe('parseOidcProviders', () => {
  it('lit une liste de fournisseurs et complète les portées par défaut', () => {
    expect(parseOidcProviders(JSON.stringify([proconnect]))).toEqual([
      { ...proconnect, scopes: 'openid email profile' },
    ]);
  });

  it('n’offre aucun fournisseur quand la variable est absente ou vide', () => {
    expect(parseOidcProviders(undefined)).toEqual([]);
    expect(parseOidcProviders('  ')).toEqual([]);
    expect(parseOidcProviders('[]')).toEqual([]);
  });

  it('garde les portées et acr_values donnés', () => {
    const [provider] = parseOidcProviders(
      JSON.stringify([{ ...proconnect, scopes: 'openid email given_name usual_name' }]),
    );
    expect(provider?.scopes).toBe('openid email given_name usual_name');
    expect(provider?.acrValues).toBe('eidas1');
  });

  it('refuse un JSON mal formé, en français', () => {
    expect(() => parseOidcProviders('[{"id": "x",')).toThrow(/n’est pas un JSON valide/);
  });

  it('refuse autre chose qu’une liste', () => {
    expect(parse(proconnect)).toThrow(/doit être une liste JSON/);
  });

  it('refuse les identifiants en double', () => {
    expect(parse([proconnect, { ...proconnect, label: 'Autre' }])).toThrow(
      /identifiant « proconnect » en double/,
    );
  });

  it('nomme l’entrée fautive et la raison', () => {
    expect(parse([proconnect, { ...proconnect, id: 'Mauvais Id' }])).toThrow(
      /fournisseur n° 2 \(« Mauvais Id »\) invalide : id : identifiant/,
    );
    expect(parse([{ ...proconnect, kind: 'saml' }])).toThrow(
      /kind : valeur attendue parmi proconnect, franceconnect, generique/,
    );
    const { clientSecret: _omitted, ...withoutSecret } = proconnect;
    expect(parse([withoutSecret])).toThrow(/clientSecret : champ obligatoire/);
    expect(parse([{ ...proconnect, clientSecret: 42 }])).toThrow(
      /clientSecret : type incorrect \(string attendu\)/,
    );
    expect(parse(['proconnect'])).toThrow(/entrée : type incorrect \(object attendu\)/);
    expect(parse([{ ...proconnect, clientSecrets: 'x' }])).toThrow(
      /champ\(s\) inconnu\(s\) : clientSecrets/,
    );
    expect(parse([{ ...proconnect, scopes: 'email profile' }])).toThrow(/portée openid/);
  });

  it('ne répète jamais le secret dans le message d’erreur', () => {
    const entries = [{ ...proconnect, id: 'x y', clientSecret: 'tres-secret', kind: 'x' }];
    let message = '';
    try {
      parse(entries)();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('invalide');
    expect(message).not.toContain('tres-secret');
  });

  it('refuse un émetteur en HTTP hors de la boucle locale', () => {
    for (const issuer of [
      'http://auth.example.fr',
      'http://10.0.0.5:8080/realms/flechage',
      'ftp://auth.example.fr',
      'javascript:alert(1)',
      'https://auth.example.fr/?q=1',
      'https://user:pass@auth.example.fr',
      'pas une adresse',
    ]) {
      expect(parse([{ ...proconnect, issuer }]), issuer).toThrow(/issuer : adresse HTTPS attendue/);
    }
  });

  it('accepte HTTP vers 127.0.0.1, ::1 et localhost (fournisseur de test ou Keycloak local)', () => {
    for (const issuer of [
      'http://127.0.0.1:8080/realms/flechage',
      'http://[::1]:9000',
      'http://localhost:8080/realms/flechage',
    ]) {
      expect(parseOidcProviders(JSON.stringify([{ ...proconnect, issuer }]))[0]?.issuer).toBe(
        issuer,
      );
    }
  });

  it('borne le nombre de fournisseurs', () => {
    const many = Array.from({ length: 21 }, (_, index) => ({ ...proconnect, id: `f${index}` }));
    expect(parse(many)).toThrow(/20 fournisseurs au plus/);
  });
});

describe('sanitiseReturnTo', () => {
  it('garde un chemin local, avec sa requête et son ancre', () => {
    expect(sanitiseReturnTo('/espace')).toBe('/espace');
    expect(sanitiseReturnTo('/espace/dossiers?onglet=2#haut')).toBe(
      '/espace/dossiers?onglet=2#haut',
    );
    expect(sanitiseReturnTo('/')).toBe('/');
  });

  it.each([
    ['absent', undefined],
    ['vide', ''],
    ['protocole relatif', '//evil.example'],
    ['protocole relatif avec chemin', '//evil.example/espace'],
    ['barre oblique inverse', '/\\evil.example'],
    ['barres obliques inverses', '\\\\evil.example'],
    ['barre inverse plus loin', '/espace\\..\\..'],
    ['adresse absolue', 'https://evil.example/'],
    ['javascript', 'javascript:alert(1)'],
    ['data', 'data:text/html,<script>alert(1)</script>'],
    ['chemin relatif', 'espace'],
    ['tabulation que les navigateurs retirent', '/\t/evil.example'],
    ['saut de ligne (en-tête injecté)', '/espace\r\nSet-Cookie: x=1'],
    ['espace', '/mon espace'],
    ['caractère non ASCII', '/espace/é'],
    ['trop long', `/${'a'.repeat(500)}`],
    ['pas une chaîne', ['/espace']],
  ])('ramène à /espace : %s', (_label, value) => {
    expect(sanitiseReturnTo(value)).toBe(DEFAULT_RETURN_TO);
  });

  it('accepte 500 caractères tout juste', () => {
    const longest = `/${'a'.repeat(499)}`;
    expect(sanitiseReturnTo(longest)).toBe(longest);
  });
});

describe('identityFromClaims', () => {
  const provider: OidcProviderConfiguration = {
    ...(proconnect as Omit<OidcProviderConfiguration, 'scopes'>),
    scopes: 'openid email',
  };
  const claims = { iss: proconnect.issuer, sub: 'abc-123' };

  it('lit les revendications standard et le usual_name de ProConnect', () => {
    expect(
      identityFromClaims(provider, {
        ...claims,
        email: '  Agent.Public@Interieur.GOUV.fr ',
        given_name: 'Dominique',
        usual_name: 'Lefèvre',
      }),
    ).toEqual({
      providerId: 'proconnect',
      audience: 'agents',
      issuer: proconnect.issuer,
      subject: 'abc-123',
      email: 'agent.public@interieur.gouv.fr',
      emailVerified: false,
      givenName: 'Dominique',
      familyName: 'Lefèvre',
    });
  });

  it('écarte un courriel ou un nom inutilisable plutôt que de le tronquer', () => {
    const identity = identityFromClaims(provider, {
      ...claims,
      email: 'pas-un-courriel',
      email_verified: 'oui',
      given_name: 'x'.repeat(201),
      family_name: 42,
    });
    expect(identity).toMatchObject({
      email: null,
      emailVerified: false,
      givenName: null,
      familyName: null,
    });
  });

  it('refuse un sujet absent ou trop long', () => {
    expect(() => identityFromClaims(provider, { iss: proconnect.issuer })).toThrow(OidcLoginError);
    expect(() => identityFromClaims(provider, { ...claims, sub: 's'.repeat(256) })).toThrow(
      expect.objectContaining({ code: 'response_invalid' }),
    );
  });
});

describe('adresses de la connexion', () => {
  it('construit l’adresse de retour sur l’adresse publique', () => {
    expect(oidcRedirectUri('https://flechage.gouv.fr/', 'proconnect')).toBe(
      'https://flechage.gouv.fr/api/identity/oidc/proconnect/callback',
    );
  });

  it('encode le code et le message d’échec pour la page de connexion', () => {
    const location = loginFailureLocation('state_invalid', 'Recommencez & réessayez ?');
    const url = new URL(location, 'https://flechage.gouv.fr');
    expect(url.pathname).toBe('/connexion');
    expect(url.searchParams.get('erreur')).toBe('state_invalid');
    expect(url.searchParams.get('message')).toBe('Recommencez & réessayez ?');
  });
});
