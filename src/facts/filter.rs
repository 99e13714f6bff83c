//! `filter!`: a collection's filter, one line per query parameter. The line says what the
//! parameter is (its values and how they are documented), how it narrows the SQL select of the
//! collection's pages and tallies, and how it keeps a past view (`as_of`), so that the three can
//! never disagree on which parameters there are.

/// ```text
/// filter! {
///     /// doc…
///     pub struct XFilter of X [keyed by codes: Vec<PartyCode>] [, as_of] {
///         /// doc of a parameter…
///         name: [Value as Documented] example ["…"] => any("column") past field_in("field"),
///         #[serde(skip)] name: Type => equal("column"),
///     }
/// }
/// ```
///
/// A collection's filter: its query parameters (each field a documented parameter taking a list
/// of values, repeated or comma-separated; unknown ones refused; an empty list keeps
/// everything), plus `slugs`, the items a path names (empty: any), or the list `keyed by` names.
///
/// - `[Value as Documented]`: the parameter's values parse as `Value` and are documented as
///   `Documented` (slugs and codes as strings); `[Value]` alone is documented as itself.
/// - `#[serde(skip)]`: a field that is no query parameter (set by a nested path).
/// - `=> method(args…)`: `Select::method(args…, &field)` narrows `narrowed`'s select (with
///   `of X`, a `Select<X>`).
/// - `past check(args…)`: with `as_of`, `check(view, args…, &field)` keeps a past view
///   (`PastFilter`); a parameter without one keeps every past view.
/// - `, as_of`: the filter also takes `as_of`, the collection as it stood then.
macro_rules! filter {
    ($(#[doc = $doc:tt])* pub struct $name:ident $(of $fact:ident)? $(, $as_of:ident)?
     { $($parameters:tt)* }) => {
        $crate::facts::filter! {
            $(#[doc = $doc])*
            pub struct $name $(of $fact)? keyed by slugs: Vec<$crate::domain::Slug> $(, $as_of)?
            { $($parameters)* }
        }
    };
    ($(#[doc = $doc:tt])* pub struct $name:ident $(of $fact:ident)?
     keyed by $keys:ident: $key:ty $(, $as_of:ident)? { $($parameters:tt)* }) => {
        $crate::facts::filter!(@parameters
            [[$(#[doc = $doc])*] $name [$($fact)?] $keys: $key, [$($as_of)?]] []
            $($parameters)*);
    };

    // Each parameter, read into `{ field [attributes] (type) [narrowing] [past check] }`.
    (@parameters [$($header:tt)*] [$($read:tt)*]
     $(#[doc = $doc:tt])* #[serde(skip)] $field:ident: $type:ty
     $(=> $narrow:ident($($narrow_args:expr),*))?, $($rest:tt)*) => {
        $crate::facts::filter!(@parameters [$($header)*] [$($read)* {
            $field [$(#[doc = $doc])* #[serde(skip)]] ($type)
            [$($narrow [$($narrow_args),*])?] []
        }] $($rest)*);
    };
    (@parameters [$($header:tt)*] [$($read:tt)*]
     $(#[doc = $doc:tt])* $field:ident: [$value:ident as $documented:ident]
     $(example $example:tt)?
     $(=> $narrow:ident($($narrow_args:expr),*) $(past $past:ident($($past_args:expr),*))?)?,
     $($rest:tt)*) => {
        $crate::facts::filter!(@parameters [$($header)*] [$($read)* {
            $field [
                $(#[doc = $doc])*
                #[param(
                    value_type = Option<Vec<$documented>>,
                    style = Form,
                    explode
                    $(, example = json!($example))?
                )]
            ] ($crate::extract::ValueList<$value>)
            [$($narrow [$($narrow_args),*])?] [$($($past [$($past_args),*])?)?]
        }] $($rest)*);
    };
    // A vocabulary is documented as itself.
    (@parameters [$($header:tt)*] [$($read:tt)*]
     $(#[doc = $doc:tt])* $field:ident: [$value:ident] $($rest:tt)*) => {
        $crate::facts::filter!(@parameters [$($header)*] [$($read)*]
            $(#[doc = $doc])* $field: [$value as $value] $($rest)*);
    };
    (@parameters [$($header:tt)*] [$($read:tt)*]) => {
        $crate::facts::filter!(@struct $($header)* $($read)*);
    };

    (@struct [$($doc:tt)*] $name:ident [$($fact:ident)?] $keys:ident: $key:ty, [$($as_of:ident)?]
     $({ $field:ident [$($attributes:tt)*] ($($type:tt)*) $narrowing:tt $past:tt })*) => {
        $($doc)*
        #[derive(Debug, Default, Clone, serde::Deserialize, utoipa::IntoParams)]
        #[serde(default, deny_unknown_fields)]
        #[into_params(parameter_in = Query)]
        pub struct $name {
            /// The items a path names (one, for an item's `GET`); empty: any.
            #[serde(skip)]
            pub $keys: $key,
            $($($attributes)* pub $field: $($type)*,)*
            $(
                /// An RFC 3339 time, or a date (the end of that day, UTC): the collection as it stood then.
                #[param(schema_with = crate::revisions::as_of_schema)]
                pub $as_of: Option<$crate::revisions::AsOf>,
            )?
        }
        $crate::facts::filter!(@narrowed [$($fact)?] $name $keys $({ $field $narrowing })*);
        $crate::facts::filter!(@past [$($fact)?] [$($as_of)?] $name $({ $field $past })*);
    };

    (@narrowed [] $($ignored:tt)*) => {};
    (@narrowed [$fact:ident] $name:ident $keys:ident
     $({ $field:ident [$($narrow:ident [$($narrow_args:expr),*])?] })*) => {
        impl $name {
            /// `select` narrowed by the filter: one `where` for a collection's pages and tallies.
            pub fn narrowed(
                &self,
                mut select: $crate::facts::Select<$fact>,
            ) -> $crate::facts::Select<$fact> {
                select.any(<$fact as $crate::facts::Fact>::KEY_COLUMN, &self.$keys);
                $($(select.$narrow($($narrow_args,)* &self.$field);)?)*
                select
            }
        }
    };

    (@past [$($fact:ident)?] [] $($ignored:tt)*) => {};
    (@past [$fact:ident] [$as_of:ident] $name:ident
     $({ $field:ident [$($check:ident [$($check_args:expr),*])?] })*) => {
        impl $crate::revisions::PastFilter for $name {
            type Resource = $fact;

            fn keeps(&self, view: &serde_json::Value) -> bool {
                $($(if !$check(view, $($check_args,)* &self.$field) {
                    return false;
                })?)*
                true
            }
        }
    };
}
pub(crate) use filter;
