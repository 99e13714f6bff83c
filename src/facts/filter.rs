//! `filter!`: what every collection's filter is besides its own parameters, said once.

/// `filter! { /// doc…  pub struct XFilter { parameters… } }`: a collection's filter, which is
/// its query parameters (each field a documented parameter; unknown ones refused; an empty list
/// keeps everything), plus `slugs`, the items a path names (empty: any). With
/// `keyed by codes: Vec<PartyCode>` after the name, that list is named and typed so.
macro_rules! filter {
    ($(#[doc = $doc:tt])* pub struct $name:ident { $($parameters:tt)* }) => {
        $crate::facts::filter! {
            $(#[doc = $doc])*
            pub struct $name keyed by slugs: Vec<$crate::domain::Slug> { $($parameters)* }
        }
    };
    ($(#[doc = $doc:tt])* pub struct $name:ident keyed by $keys:ident: $key:ty
     { $($parameters:tt)* }) => {
        $(#[doc = $doc])*
        #[derive(Debug, Default, Clone, serde::Deserialize, utoipa::IntoParams)]
        #[serde(default, deny_unknown_fields)]
        #[into_params(parameter_in = Query)]
        pub struct $name {
            /// The items a path names (one, for an item's `GET`); empty: any.
            #[serde(skip)]
            pub $keys: $key,
            $($parameters)*
        }
    };
}
pub(crate) use filter;
