//! Record IDs as the CLI reads them from its arguments: a UUID, or one line saying what an ID looks like
//! (uuid's own message, "invalid length: found 6", says nothing to someone who typed a partner's name).

use uuid::Uuid;

/// clap's parser for an argument that names a record by its ID.
pub(crate) fn parse(text: &str) -> Result<Uuid, String> {
    Uuid::parse_str(text.trim()).map_err(|_| {
        "not a record ID: IDs look like 0192f0c4-5a8e-7b3d-9c1e-2f4a6b8d0e1f, the `id` that `list --json` \
         and `show --json` print"
            .to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_read_and_anything_else_is_explained() {
        let id = "0192f0c4-5a8e-7b3d-9c1e-2f4a6b8d0e1f";
        assert_eq!(parse(&format!(" {id} ")).map(|u| u.to_string()).as_deref(), Ok(id));
        assert!(parse("999999").is_err_and(|e| e.starts_with("not a record ID")));
    }
}
