//! Places: a compact GeoNames-derived gazetteer (CC BY 4.0, credit "GeoNames") with a small table
//! of our own (rivers, seas, regions), a geocoder that resolves toponyms to GeoNames ids with
//! coordinates, and a gazetteer-based toponym spotter for end-to-end use.
//!
//! Every output carries byte offsets into the text it read. A place is never an actor: this crate
//! emits places only.

pub mod gazetteer;
pub mod geocode;
pub mod spot;

pub use gazetteer::{Entry, Gazetteer, Kind, NameKind, gazetteer, haversine_km, norm_key};
pub use geocode::{Alternative, Context, Place, Toponym, fold_accents, geocode, geocode_with};
pub use spot::{spot, spot_and_geocode, spotter_stats};
