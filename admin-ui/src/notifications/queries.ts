// The notification operations shared by the bell, the list and the account's settings.
import { graphql } from '../gql';

export const UNREAD_COUNT = graphql(`
  query UnreadNotificationCount {
    unreadNotificationCount
  }
`);

export const NOTIFICATIONS = graphql(`
  query Notifications($first: Int, $after: String) {
    unreadNotificationCount
    notifications(first: $first, after: $after) {
      edges {
        node {
          id
          kind
          title
          link
          read
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

export const MARK_READ = graphql(`
  mutation MarkNotificationRead($id: ID!) {
    markNotificationRead(id: $id) {
      __typename
      ... on NotificationReadPayload {
        unreadCount
        notification {
          id
          read
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

export const MARK_ALL_READ = graphql(`
  mutation MarkAllNotificationsRead {
    markAllNotificationsRead {
      __typename
      ... on AllNotificationsReadPayload {
        marked
        unreadCount
      }
      ... on Error {
        message
      }
    }
  }
`);

export const CHOICES = graphql(`
  query NotificationChoices {
    notificationChoices {
      kind
      channel
      enabled
    }
    webPushPublicKey
    pushDevices {
      id
      endpointOrigin
      userAgent
      lastSuccessAt
    }
  }
`);

export const SET_CHOICE = graphql(`
  mutation SetNotificationPreference($kind: String!, $channel: NotificationChannel!, $enabled: Boolean!) {
    setNotificationPreference(kind: $kind, channel: $channel, enabled: $enabled) {
      __typename
      ... on NotificationChoicePayload {
        choices {
          kind
          channel
          enabled
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

export const REGISTER_PUSH = graphql(`
  mutation RegisterPushSubscription($endpoint: String!, $p256dh: String!, $auth: String!) {
    registerPushSubscription(endpoint: $endpoint, p256dh: $p256dh, auth: $auth) {
      __typename
      ... on PushSubscriptionPayload {
        device {
          id
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

export const REMOVE_PUSH = graphql(`
  mutation RemovePushSubscription($endpoint: String!) {
    removePushSubscription(endpoint: $endpoint) {
      __typename
      ... on PushSubscriptionRemoved {
        removed
      }
      ... on Error {
        message
      }
    }
  }
`);

export const PUSH_ON = graphql(`
  mutation TurnPushOn {
    updateNotificationPreferences(push: true) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);
