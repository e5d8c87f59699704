//! Media in S3-compatible object storage, against a real S3-compatible server that
//! checks signatures (moto's, `tests/peers/s3`).

use app::media::s3::{S3Bucket, S3Config};
use app::media::sigv4::Credentials;
use megalodon::entities::UploadMedia;
use megalodon::megalodon::{PostStatusInputOptions, PostStatusOutput, UploadMediaInputOptions};
use megalodon::{SNS, generator};

use crate::media::ROTATED_WITH_GPS;
use crate::statuses::{call, user};
use crate::support::TestServer;
use crate::support::s3::S3Peer;

fn bucket(peer: &S3Peer, secret: &str) -> S3Bucket {
    S3Bucket::new(&S3Config {
        endpoint: peer.endpoint.clone(),
        bucket: peer.bucket.clone(),
        credentials: Credentials {
            access_key_id: peer.access_key_id.clone(),
            secret_access_key: secret.to_owned(),
            region: peer.region.clone(),
        },
    })
    .unwrap()
}

#[tokio::test]
async fn uploads_go_to_the_bucket_and_are_served_from_it() {
    let peer = S3Peer::start().await;
    let server = TestServer::start_with(|s| {
        s.media_storage = Some("s3".into());
        s.s3_endpoint = Some(peer.endpoint.clone());
        s.s3_bucket = Some(peer.bucket.clone());
        s.s3_region = Some(peer.region.clone());
        s.s3_access_key_id = Some(peer.access_key_id.clone());
        s.s3_secret_access_key = Some(peer.secret_access_key.clone());
    })
    .await;
    let alice = user(&server, "alice").await;
    let client = generator(SNS::Mastodon, server.base_url.clone(), Some(alice.token.clone()), None).unwrap();
    let options = UploadMediaInputOptions { description: Some("in a bucket".into()), focus: None };
    let reader = Box::new(std::io::Cursor::new(ROTATED_WITH_GPS.to_vec()));
    let uploaded = client.upload_media_reader(reader, Some(&options), Some("photo.jpg".into())).await.expect("upload");
    let UploadMedia::Attachment(media) = uploaded.json else { panic!("processed at once") };
    let options = PostStatusInputOptions { media_ids: Some(vec![media.id.clone()]), ..Default::default() };
    let PostStatusOutput::Status(posted) =
        client.post_status("from the bucket".into(), Some(&options)).await.unwrap().json
    else {
        panic!("not scheduled")
    };
    assert_eq!(posted.media_attachments[0].id, media.id);

    // Served through the server, from the bucket: nothing was written to the disk.
    let served = server.http.get(&media.url).send().await.unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/jpeg");
    let served = served.bytes().await.unwrap();
    assert!(!server.db.data_dir.join("media").exists(), "no local media folder");
    let key = media.url.split("/system/").nth(1).unwrap();
    let stored = bucket(&peer, &peer.secret_access_key).get(key).await.unwrap().expect("the object is in the bucket");
    assert_eq!(stored, served.as_ref());
    assert!(!stored.windows(4).any(|w| w == b"Exif"), "what was stored is the stripped picture");
    let refused = bucket(&peer, "not the secret").get(key).await;
    assert!(refused.unwrap_err().to_string().contains("SignatureDoesNotMatch"), "the peer checks signatures");

    // An unattached upload deleted leaves the bucket too.
    let (_, other) = crate::media::upload(&server, &alice, 2, "photo.jpg", ROTATED_WITH_GPS).await;
    let other_key = other["url"].as_str().unwrap().split("/system/").nth(1).unwrap().to_owned();
    assert!(bucket(&peer, &peer.secret_access_key).get(&other_key).await.unwrap().is_some());
    let path = format!("/api/v1/media/{}", other["id"].as_str().unwrap());
    assert_eq!(call(&server, "DELETE", &path, &alice.token, None).await.0, 200);
    assert_eq!(bucket(&peer, &peer.secret_access_key).get(&other_key).await.unwrap(), None);
}
