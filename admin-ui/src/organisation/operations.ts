import { graphql } from '../gql';

export const ORGANISATION = graphql(`
  query OrganisationSettings {
    organisation {
      id
      name
      kind
      officeChoice
      preferredOfficeId
      captureLocationRequired
      legalIdentity {
        legalForm
        companyName
        siren
        rcsCity
        street
        postcode
        city
        representativeFirstName
        representativeLastName
      }
    }
    widgetKeys {
      id
      publicKey
      allowedOrigins
      createdAt
      revokedAt
    }
    apiKeys {
      id
      name
      prefix
      createdAt
      lastUsedAt
      revokedAt
    }
    auditLog(first: 20) {
      edges {
        node {
          id
          action
          target
          ip
          createdAt
        }
      }
    }
  }
`);

export const UPDATE_PROFILE = graphql(`
  mutation UpdateOrganisationProfile($name: String, $legalIdentity: LegalIdentityInput) {
    updateOrganisationProfile(name: $name, legalIdentity: $legalIdentity) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);

export const CAPTURE_SETTINGS = graphql(`
  mutation UpdateCaptureSettings($required: Boolean!) {
    updateCaptureSettings(locationRequired: $required) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);

export const CREATE_WIDGET_KEY = graphql(`
  mutation CreateWidgetKey($origins: [String!]!) {
    createWidgetKey(allowedOrigins: $origins) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);

export const CREATE_API_KEY = graphql(`
  mutation CreateApiKey($name: String!) {
    createApiKey(name: $name) {
      __typename
      ... on ApiKeyCreated {
        secret
      }
      ... on Error {
        message
      }
    }
  }
`);

export const REVOKE_KEY = graphql(`
  mutation RevokeKey($id: ID!) {
    revokeKey(id: $id) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);

export const PROPOSE_OFFICE = graphql(`
  mutation ProposeOffice($name: String!, $city: String!) {
    proposeBailiffOffice(name: $name, city: $city) {
      __typename
      ... on OfficeProposed {
        message
      }
      ... on Error {
        message
      }
    }
  }
`);
