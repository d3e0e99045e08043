//! A `multipart/form-data` body as a generated client sends it (Epsimo's
//! `uploadFile`) and a loopback server receives it: a text part per field,
//! the file as a part with its file name, media type and bytes, unchanged
//! even when they are not UTF-8. And the same through a sharded crate
//! (`snapshot-sharded`), whose `hooks::FilePart` is defined in its first
//! type shard and named there by the body types of the other shards.

use epsimo_api::hooks::{FilePart, Hooks};
use epsimo_api::{Client, types};
use interactor_tests::loopback;

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[tokio::test]
async fn upload_sends_each_field_and_the_file_as_parts() {
    let (listener, base) = loopback::bind().await;
    let server = tokio::spawn(async move { loopback::answer_once(&listener, loopback::SERVER_ERROR).await });
    let client = Client::new_with_client(&base, reqwest::Client::new(), Hooks::default());
    let bytes = vec![0u8, 0x9f, 0x92, 0x96, 0xff, b'\r', b'\n'];
    let file = FilePart::new("notes.jsonl", bytes.clone()).with_content_type("application/jsonl");
    let body = types::UploadFileBody::new(file, types::FilePurpose::Assistants);
    let result = client.upload_file().body(body).send().await;
    assert!(result.is_err(), "the server answers 500");
    let request = server.await.expect("server");

    let head = request.head.to_ascii_lowercase();
    assert!(head.starts_with("post /files/ "), "{head}");
    let boundary = head.lines().find_map(|l| l.strip_prefix("content-type: multipart/form-data; boundary=")).expect("a multipart content type").to_owned();
    let body = &request.body[..];
    let purpose = b"Content-Disposition: form-data; name=\"purpose\"\r\n\r\nassistants\r\n";
    assert!(find(body, purpose).is_some(), "{}", String::from_utf8_lossy(body));
    let mut file_part = b"Content-Disposition: form-data; name=\"file\"; filename=\"notes.jsonl\"\r\nContent-Type: application/jsonl\r\n\r\n".to_vec();
    file_part.extend_from_slice(&bytes);
    file_part.extend_from_slice(format!("\r\n--{boundary}--").as_bytes());
    assert!(find(body, &file_part).is_some(), "{}", String::from_utf8_lossy(body));
}

#[tokio::test]
async fn a_sharded_crate_sends_files_whose_type_lives_in_a_shard() {
    use snapshot_sharded::hooks::FilePart;
    use snapshot_sharded::types;

    let (listener, base) = loopback::bind().await;
    let server = tokio::spawn(async move { loopback::answer_once(&listener, loopback::SERVER_ERROR).await });
    let client = snapshot_sharded::Client::new_with_client(&base, reqwest::Client::new(), snapshot_sharded::hooks::Hooks::default());
    let files = vec![FilePart::new("a.pdf", b"%PDF-a".to_vec()), FilePart::new("b.txt", b"bee".to_vec()).with_content_type("text/plain")];
    let body = types::UploadStoreDocumentsBody::builder().documents(files).kind(Some(types::StoreKind::Small));
    let result = client.upload_store_documents().store_id("north/1").body(body).send().await;
    assert!(result.is_err(), "the server answers 500");
    let request = server.await.expect("server");

    let head = request.head.to_ascii_lowercase();
    assert!(head.starts_with("post /stores/north%2f1/documents "), "{head}");
    let body = &request.body[..];
    let text = String::from_utf8_lossy(body);
    assert!(find(body, b"Content-Disposition: form-data; name=\"kind\"\r\n\r\nsmall\r\n").is_some(), "{text}");
    let a = find(body, b"name=\"documents\"; filename=\"a.pdf\"\r\nContent-Type: application/octet-stream\r\n\r\n%PDF-a\r\n").expect(&text);
    let b = find(body, b"name=\"documents\"; filename=\"b.txt\"\r\nContent-Type: text/plain\r\n\r\nbee\r\n").expect(&text);
    assert!(a < b, "files in order: {text}");
}

/// An operation that takes ids as JSON or the file itself as multipart
/// (OpenAI's image edits): the JSON body is `create_image_edit`, the
/// multipart one a method of its own, `create_image_edit_multipart`, to the
/// same path (`normalize::siblings`).
#[tokio::test]
async fn a_second_body_media_type_is_a_method_of_its_own_to_the_same_path() {
    use snapshot_rust_engine::hooks::{FilePart, Hooks};
    use snapshot_rust_engine::{Client, types};

    let (listener, base) = loopback::bind().await;
    let client = Client::new_with_client(&base, reqwest::Client::new(), Hooks::default());
    let reply = loopback::json_reply("200 OK", r#"{"id":"sched_1"}"#);
    let upload = types::CreateImageEditMultipartBody::builder().image(FilePart::new("cat.png", b"\x89PNG".to_vec())).prompt(Some("a hat".to_owned()));
    let (request, response) = tokio::join!(loopback::answer_once(&listener, &reply), client.create_image_edit_multipart().image_id("a/b").body(upload).send());
    assert_eq!(response.expect("200").into_inner().id.as_deref(), Some("sched_1"));
    let head = request.head.to_ascii_lowercase();
    assert!(head.starts_with("post /images/a%2fb/edits "), "the path has no trace of the sibling's mark: {head}");
    assert!(head.contains("content-type: multipart/form-data; boundary="), "{head}");
    let body = &request.body[..];
    let text = String::from_utf8_lossy(body);
    assert!(find(body, b"name=\"image\"; filename=\"cat.png\"\r\nContent-Type: application/octet-stream\r\n\r\n\x89PNG\r\n").is_some(), "{text}");
    assert!(find(body, b"name=\"prompt\"\r\n\r\na hat\r\n").is_some(), "{text}");

    let reply = loopback::json_reply("200 OK", "{}");
    let by_id = types::CreateImageEditBody::new("file-1".into());
    let (request, response) = tokio::join!(loopback::answer_once(&listener, &reply), client.create_image_edit().image_id("a").body(by_id).send());
    response.expect("200");
    assert!(request.head.to_ascii_lowercase().contains("content-type: application/json"), "{}", request.head);
    assert!(request.line().starts_with("POST /images/a/edits "), "{}", request.line());
    assert_eq!(String::from_utf8_lossy(&request.body), r#"{"file_id":"file-1"}"#);

    let table: Vec<_> = snapshot_rust_engine::operations::OPERATIONS.iter().filter(|o| o.path == "/images/{image_id}/edits").map(|o| (o.id, o.method)).collect();
    assert_eq!(table, [("create_image_edit", "POST"), ("create_image_edit_multipart", "POST")]);
}

/// A property that is one file or several (OpenAI's skills: `oneOf` a zip
/// or a directory's files) is parts of one name either way: the multipart
/// method takes a list of files, and one file is a list of one.
#[tokio::test]
async fn a_choice_between_a_file_and_files_is_sent_as_parts_of_one_name() {
    use snapshot_rust_engine::hooks::{FilePart, Hooks};
    use snapshot_rust_engine::{Client, types};

    let (listener, base) = loopback::bind().await;
    let client = Client::new_with_client(&base, reqwest::Client::new(), Hooks::default());
    let reply = b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";
    for files in [vec![FilePart::new("skill.zip", b"PK\x03\x04".to_vec())], vec![FilePart::new("SKILL.md", b"# hi".to_vec()), FilePart::new("run.py", b"print(1)".to_vec())]] {
        let names: Vec<String> = files.iter().map(|f| f.file_name.clone()).collect();
        let body = types::CreateSkillMultipartBody::builder().files(files).name(Some("s".to_owned()));
        let (request, response) = tokio::join!(loopback::answer_once(&listener, reply), client.create_skill_multipart().body(body).send());
        response.expect("204");
        let text = String::from_utf8_lossy(&request.body).into_owned();
        let parts: Vec<&str> = text.match_indices("name=\"files\"; filename=\"").map(|(at, m)| text[at + m.len()..].split('"').next().unwrap_or_default()).collect();
        assert_eq!(parts, names, "{text}");
        assert!(text.contains("name=\"name\"\r\n\r\ns\r\n"), "{text}");
    }
}
