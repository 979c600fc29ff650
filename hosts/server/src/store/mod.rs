//! What the server stores, table by table: the directory records, the audit chains, the SCIM
//! resources, and the admin API's own records (domain challenges, invitations, support grants).

pub mod audit;
pub mod directory;
pub mod grants;
pub mod scim;
