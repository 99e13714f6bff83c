//! A connection's socket: reads and writes as the plain stream, except that the part of a write
//! that is a sealed body's bytes is sent from its file with `sendfile`, after what precedes it
//! (the answer's head) is sent with `MSG_MORE`, so that head and body still leave in full
//! segments together (nginx corks the socket around its `writev` and `sendfile` for the same).

use std::io::{self, IoSlice};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use rustix::net::{SendAncillaryBuffer, SendFlags};
use tokio::io::{AsyncRead, AsyncWrite, Interest, ReadBuf};
use tokio::net::TcpStream;

use super::sealed;

/// The socket a connection is served on.
pub struct Stream {
    socket: TcpStream,
}

/// An accepted connection's socket, as it is served.
pub fn stream(socket: TcpStream) -> Stream {
    Stream { socket }
}

impl Stream {
    /// Writes the start of `slices`: what precedes the first slice of a sealed body (with
    /// `MSG_MORE`), or that slice from its file, or, with none, all of them as the plain stream.
    fn write_slices(
        &mut self,
        context: &mut Context<'_>,
        slices: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let sealed = slices
            .iter()
            .enumerate()
            .find_map(|(index, slice)| Some((index, sealed::file_behind(slice)?)));
        match sealed {
            None => Pin::new(&mut self.socket).poll_write_vectored(context, slices),
            Some((0, (file, mut offset))) => {
                let len = slices[0].len();
                self.send(context, || {
                    rustix::fs::sendfile(&self.socket, file.file(), Some(&mut offset), len)
                })
            }
            Some((head, _)) => self.send(context, || {
                rustix::net::sendmsg(
                    &self.socket,
                    &slices[..head],
                    &mut SendAncillaryBuffer::default(),
                    SendFlags::MORE | SendFlags::NOSIGNAL,
                )
            }),
        }
    }

    /// Runs one non-blocking send once the socket is writable, again after each wake-up while
    /// it would block.
    fn send(
        &self,
        context: &mut Context<'_>,
        mut once: impl FnMut() -> rustix::io::Result<usize>,
    ) -> Poll<io::Result<usize>> {
        loop {
            ready!(self.socket.poll_write_ready(context))?;
            match self
                .socket
                .try_io(Interest::WRITABLE, || once().map_err(io::Error::from))
            {
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => continue,
                sent => return Poll::Ready(sent),
            }
        }
    }
}

impl AsyncRead for Stream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buffer: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.socket).poll_read(context, buffer)
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
        bytes: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.write_slices(context, &[IoSlice::new(bytes)])
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
        slices: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.write_slices(context, slices)
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.socket).poll_flush(context)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.socket).poll_shutdown(context)
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    use super::*;
    use crate::zero_copy::kept_body;

    /// Writes `head` and `body` as hyper does (vectored, again from where each write stopped)
    /// to one end of a loopback connection while the other end reads everything.
    async fn sent_and_received(head: &[u8], body: &[u8]) -> Vec<u8> {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap());
        let (client, accepted) = tokio::join!(client, listener.accept());
        let mut client = client.unwrap();
        let mut server = stream(accepted.unwrap().0);
        let reader = tokio::spawn(async move {
            let mut received = Vec::new();
            client.read_to_end(&mut received).await.unwrap();
            received
        });
        let total = head.len() + body.len();
        let mut sent = 0;
        while sent < total {
            let slices = if sent < head.len() {
                vec![IoSlice::new(&head[sent..]), IoSlice::new(body)]
            } else {
                vec![IoSlice::new(&body[sent - head.len()..])]
            };
            let n = server.write_vectored(&slices).await.unwrap();
            assert!(n > 0);
            sent += n;
        }
        server.shutdown().await.unwrap();
        reader.await.unwrap()
    }

    #[tokio::test]
    async fn a_head_and_a_sealed_body_arrive_whole_and_in_order() {
        let head = b"HTTP/1.1 200 OK\r\ncontent-length: 40000\r\n\r\n".to_vec();
        let original: Vec<u8> = (0..40_000).map(|index| (index % 253) as u8).collect();
        let body = kept_body(&original);

        let received = sent_and_received(&head, &body).await;

        assert_eq!(received, [head, original].concat());
    }

    #[tokio::test]
    async fn a_sealed_body_larger_than_the_socket_takes_at_once_arrives_whole() {
        let original: Vec<u8> = (0..8 * 1024 * 1024)
            .map(|index| (index % 241) as u8)
            .collect();
        let body = kept_body(&original);

        let received = sent_and_received(b"head", &body).await;

        assert_eq!(received.len(), 4 + original.len());
        assert!(received[4..] == original[..], "the body's bytes, in order");
    }
}
