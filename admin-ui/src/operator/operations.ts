// The operator console's GraphQL operations (role OPERATOR; the API refuses everyone else).
import { graphql } from '../gql';

export const ORGANISATIONS = graphql(`
  query OperatorOrganisations($kind: OrganisationKind, $search: String, $after: String) {
    organisations(kind: $kind, search: $search, first: 25, after: $after) {
      edges {
        node {
          id
          name
          kind
          legalIdentity {
            city
            siren
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const OVERVIEW = graphql(`
  query OperatorOrganisationOverview($id: ID!) {
    organisationOverview(id: $id) {
      organisation {
        id
        name
        kind
        locale
        legalIdentity {
          companyName
          siren
          street
          postcode
          city
        }
        members(first: 100) {
          edges {
            node {
              id
              email
              fullName
              role
              status
              joinedAt
            }
          }
        }
      }
      creditBalance
      memberCount
      createdAt
      plan {
        planName
        status
        currentPeriodEnd
        monthlyCredits
        seats
      }
      prices {
        id
        kind
        name
        credits
        negotiated
        active
        price {
          ttcCents
          htCents
        }
        listPrice {
          ttcCents
          htCents
        }
      }
    }
  }
`);

export const ADJUST = graphql(`
  mutation OperatorAdjustCredits($organisationId: ID!, $amount: Int!, $reason: String!, $key: String!) {
    adjustCredits(organisationId: $organisationId, amount: $amount, reason: $reason, idempotencyKey: $key) {
      __typename
      ... on CreditsMoved {
        organisationBalance
      }
      ... on Error {
        message
      }
    }
  }
`);

export const SET_PRICE = graphql(`
  mutation OperatorSetPrice($organisationId: ID!, $productId: String!, $priceTtcCents: Int) {
    setPriceOverride(organisationId: $organisationId, productId: $productId, priceTtcCents: $priceTtcCents) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);

export const PROPOSALS = graphql(`
  query OperatorProposals($after: String) {
    proposedOffices(first: 50, after: $after) {
      edges {
        node {
          id
          name
          city
          organisationName
          proposerEmail
          createdAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const CREATE_OFFICE = graphql(`
  mutation OperatorCreateOffice($input: BailiffOfficeInput!) {
    createBailiffOffice(input: $input) {
      __typename
      ... on BailiffOfficeCreated {
        office {
          id
          name
        }
        clerkInvited
      }
      ... on InvalidInput {
        message
        field
      }
      ... on Error {
        message
      }
    }
  }
`);

export const CATALOGUE = graphql(`
  query OperatorCatalogue {
    operatorCatalogue {
      id
      kind
      name
      credits
      seats
      active
      rollover
      refundOnRejection
      pricingRule
      price {
        ttcCents
        htCents
        vatCents
      }
    }
  }
`);

export const UPDATE_PRODUCT = graphql(`
  mutation OperatorUpdateProduct($productId: String!, $priceTtcCents: Int, $active: Boolean, $pricingRule: String) {
    updateCatalogueProduct(productId: $productId, priceTtcCents: $priceTtcCents, active: $active, pricingRule: $pricingRule) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);

export const AUDIT = graphql(`
  query OperatorAuditLog($action: AuditAction, $after: String) {
    platformAuditLog(action: $action, first: 25, after: $after) {
      edges {
        node {
          id
          action
          organisationId
          organisationName
          actorEmail
          target
          ip
          reason
          credits
          createdAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const ANCHORING = graphql(`
  query OperatorAnchoring {
    anchoringStatus {
      lateAfterMinutes
      waitingItems
      latest {
        ...AnchorBatchFields
      }
      late {
        ...AnchorBatchFields
      }
    }
  }
`);

export const ANCHOR_BATCH = graphql(`
  fragment AnchorBatchFields on AnchorBatch {
    sequence
    root
    leafCount
    closedAt
    late
    anchor {
      chainId
      txHash
      status
      development
      blockNumber
      confirmations
      attempts
      lastError
      sentAt
      confirmedAt
    }
  }
`);
