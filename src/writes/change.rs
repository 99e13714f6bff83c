//! `Change`: what a write did to one resource, as the change log records it.

use serde_json::Value;

use crate::domain::Slug;
use crate::revisions::ResourceType;

/// What a write did to one resource.
pub struct Change {
    pub kind: ResourceType,
    pub slug: Slug,
    /// Its view before the write; `None` when the write created it.
    pub before: Option<Value>,
    /// Whether the write created something, answered 201 with the resource's `Location`: the
    /// resource itself, or a part of its view (a party's representative, an agreement's
    /// milestone), which is read in the resource.
    pub creates: bool,
}

impl Change {
    /// The resource `slug` of `kind` was created by the write.
    pub fn created(kind: ResourceType, slug: &Slug) -> Self {
        Self {
            kind,
            slug: slug.clone(),
            before: None,
            creates: true,
        }
    }

    /// The resource `slug` of `kind` was changed from its view `before`.
    pub fn updated(kind: ResourceType, slug: &Slug, before: Value) -> Self {
        Self {
            kind,
            slug: slug.clone(),
            before: Some(before),
            creates: false,
        }
    }

    /// The resource `slug` of `kind`, whose view was `before`, gained a part the write created.
    pub fn part_added(kind: ResourceType, slug: &Slug, before: Value) -> Self {
        Self {
            creates: true,
            ..Self::updated(kind, slug, before)
        }
    }
}
