/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation ActivateAccount($code: String!, $password: String!, $acceptTerms: Boolean!, $fullName: String) {\n    activateAccount(code: $code, password: $password, acceptTerms: $acceptTerms, fullName: $fullName) {\n      __typename\n      ... on Error {\n        message\n      }\n      ... on WeakPassword {\n        unmetRules\n      }\n    }\n  }\n": typeof types.ActivateAccountDocument,
    "\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email) {\n      __typename\n    }\n  }\n": typeof types.RequestPasswordResetDocument,
    "\n  mutation LogIn($email: String!, $password: String!) {\n    logIn(email: $email, password: $password) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.LogInDocument,
    "\n  mutation ResetPassword($token: String!, $newPassword: String!) {\n    resetPassword(token: $token, newPassword: $newPassword) {\n      __typename\n      ... on Error {\n        message\n      }\n      ... on WeakPassword {\n        unmetRules\n      }\n    }\n  }\n": typeof types.ResetPasswordDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      __typename\n      ... on Error {\n        message\n      }\n      ... on WeakPassword {\n        unmetRules\n      }\n    }\n  }\n": typeof types.SignUpDocument,
    "\n  mutation VerifyEmail($token: String!) {\n    verifyEmail(token: $token) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.VerifyEmailDocument,
    "\n  query Viewer {\n    viewer {\n      role\n      permissions\n      user {\n        id\n        email\n        fullName\n        locale\n        emailVerified\n        notifyEmail\n        notifyPush\n      }\n      organisation {\n        id\n        name\n        kind\n      }\n    }\n  }\n": typeof types.ViewerDocument,
    "\n  query Balance {\n    creditBalance\n  }\n": typeof types.BalanceDocument,
    "\n  mutation LogOut {\n    logOut {\n      __typename\n    }\n  }\n": typeof types.LogOutDocument,
};
const documents: Documents = {
    "\n  mutation ActivateAccount($code: String!, $password: String!, $acceptTerms: Boolean!, $fullName: String) {\n    activateAccount(code: $code, password: $password, acceptTerms: $acceptTerms, fullName: $fullName) {\n      __typename\n      ... on Error {\n        message\n      }\n      ... on WeakPassword {\n        unmetRules\n      }\n    }\n  }\n": types.ActivateAccountDocument,
    "\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email) {\n      __typename\n    }\n  }\n": types.RequestPasswordResetDocument,
    "\n  mutation LogIn($email: String!, $password: String!) {\n    logIn(email: $email, password: $password) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.LogInDocument,
    "\n  mutation ResetPassword($token: String!, $newPassword: String!) {\n    resetPassword(token: $token, newPassword: $newPassword) {\n      __typename\n      ... on Error {\n        message\n      }\n      ... on WeakPassword {\n        unmetRules\n      }\n    }\n  }\n": types.ResetPasswordDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      __typename\n      ... on Error {\n        message\n      }\n      ... on WeakPassword {\n        unmetRules\n      }\n    }\n  }\n": types.SignUpDocument,
    "\n  mutation VerifyEmail($token: String!) {\n    verifyEmail(token: $token) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.VerifyEmailDocument,
    "\n  query Viewer {\n    viewer {\n      role\n      permissions\n      user {\n        id\n        email\n        fullName\n        locale\n        emailVerified\n        notifyEmail\n        notifyPush\n      }\n      organisation {\n        id\n        name\n        kind\n      }\n    }\n  }\n": types.ViewerDocument,
    "\n  query Balance {\n    creditBalance\n  }\n": types.BalanceDocument,
    "\n  mutation LogOut {\n    logOut {\n      __typename\n    }\n  }\n": types.LogOutDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ActivateAccount($code: String!, $password: String!, $acceptTerms: Boolean!, $fullName: String) {\n    activateAccount(code: $code, password: $password, acceptTerms: $acceptTerms, fullName: $fullName) {\n      __typename\n      ... on Error {\n        message\n      }\n      ... on WeakPassword {\n        unmetRules\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ActivateAccount($code: String!, $password: String!, $acceptTerms: Boolean!, $fullName: String) {\n    activateAccount(code: $code, password: $password, acceptTerms: $acceptTerms, fullName: $fullName) {\n      __typename\n      ... on Error {\n        message\n      }\n      ... on WeakPassword {\n        unmetRules\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email) {\n      __typename\n    }\n  }\n"): (typeof documents)["\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email) {\n      __typename\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogIn($email: String!, $password: String!) {\n    logIn(email: $email, password: $password) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation LogIn($email: String!, $password: String!) {\n    logIn(email: $email, password: $password) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetPassword($token: String!, $newPassword: String!) {\n    resetPassword(token: $token, newPassword: $newPassword) {\n      __typename\n      ... on Error {\n        message\n      }\n      ... on WeakPassword {\n        unmetRules\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ResetPassword($token: String!, $newPassword: String!) {\n    resetPassword(token: $token, newPassword: $newPassword) {\n      __typename\n      ... on Error {\n        message\n      }\n      ... on WeakPassword {\n        unmetRules\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      __typename\n      ... on Error {\n        message\n      }\n      ... on WeakPassword {\n        unmetRules\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      __typename\n      ... on Error {\n        message\n      }\n      ... on WeakPassword {\n        unmetRules\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VerifyEmail($token: String!) {\n    verifyEmail(token: $token) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation VerifyEmail($token: String!) {\n    verifyEmail(token: $token) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      role\n      permissions\n      user {\n        id\n        email\n        fullName\n        locale\n        emailVerified\n        notifyEmail\n        notifyPush\n      }\n      organisation {\n        id\n        name\n        kind\n      }\n    }\n  }\n"): (typeof documents)["\n  query Viewer {\n    viewer {\n      role\n      permissions\n      user {\n        id\n        email\n        fullName\n        locale\n        emailVerified\n        notifyEmail\n        notifyPush\n      }\n      organisation {\n        id\n        name\n        kind\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Balance {\n    creditBalance\n  }\n"): (typeof documents)["\n  query Balance {\n    creditBalance\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogOut {\n    logOut {\n      __typename\n    }\n  }\n"): (typeof documents)["\n  mutation LogOut {\n    logOut {\n      __typename\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;