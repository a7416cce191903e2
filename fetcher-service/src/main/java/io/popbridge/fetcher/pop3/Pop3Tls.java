package io.popbridge.fetcher.pop3;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** TLS set-up for POP3: the JDK's trust store or an account's custom CA, hostname verification when verifying. */
public final class Pop3Tls {
    private Pop3Tls() {
    }

    /** Parses PEM certificates; throws IllegalArgumentException if there are none or they are malformed. */
    public static Collection<? extends Certificate> parsePem(String pem) {
        try {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("no certificate found in PEM");
            }
            return certs;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a PEM X.509 certificate: " + e.getMessage());
        }
    }

    static SSLContext context(Pop3Endpoint endpoint) throws GeneralSecurityException, java.io.IOException {
        SSLContext context = SSLContext.getInstance("TLS");
        TrustManager[] trust;
        if (!endpoint.verifyCertificate()) {
            trust = new TrustManager[] {new TrustAll()};
        } else if (endpoint.customCaPem() != null && !endpoint.customCaPem().isBlank()) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate cert : parsePem(endpoint.customCaPem())) {
                store.setCertificateEntry("ca" + i++, cert);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            trust = tmf.getTrustManagers();
        } else {
            trust = null; // the JDK default trust store
        }
        context.init(null, trust, null);
        return context;
    }

    /** Hostname verification (RFC 2818 rules, as for HTTPS) whenever the certificate is verified. */
    static void configure(SSLSocket socket, Pop3Endpoint endpoint) {
        SSLParameters params = socket.getSSLParameters();
        if (endpoint.verifyCertificate()) {
            params.setEndpointIdentificationAlgorithm("HTTPS");
        }
        socket.setSSLParameters(params);
    }

    /** Used only when an admin turned verification off for the account. */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
